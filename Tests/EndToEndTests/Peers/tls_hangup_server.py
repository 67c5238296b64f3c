"""A wss:// test peer that asks for an optional client certificate, completes the TLS handshake, and hangs
up without a word: no alert, no close_notify, no HTTP answer. Standard library only.

It listens on 127.0.0.1, prints "PORT <n>", and for each connection prints "HANDSHAKE <certificate>"
("none" when the client sent none) before it closes the connection.
"""

import argparse
import socket
import ssl


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls-cert", required=True)
    parser.add_argument("--tls-key", required=True)
    parser.add_argument("--tls-client-ca", required=True, help="the CA named in the certificate request")
    parser.add_argument("--tls-max-version", choices=["1.2", "1.3"], default="1.3")
    arguments = parser.parse_args()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(arguments.tls_cert, arguments.tls_key)
    context.load_verify_locations(arguments.tls_client_ca)
    context.verify_mode = ssl.CERT_OPTIONAL
    if arguments.tls_max_version == "1.2":
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    listener = socket.create_server(("127.0.0.1", 0))
    print("PORT %d" % listener.getsockname()[1], flush=True)
    while True:
        connection, _ = listener.accept()
        try:
            tls = context.wrap_socket(connection, server_side=True)
        except (ssl.SSLError, OSError) as error:
            print("ERROR %s" % error, flush=True)
            connection.close()
            continue
        certificate = tls.getpeercert()
        print("HANDSHAKE %s" % ("sent" if certificate else "none"), flush=True)
        # Closing the socket under TLS sends nothing: the client sees the TCP connection end.
        tls.detach().close()


if __name__ == "__main__":
    main()
