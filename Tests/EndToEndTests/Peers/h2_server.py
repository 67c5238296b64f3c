"""A hostile HTTP/2 server for wsc's WebSocket-over-HTTP/2 tests (RFC 8441), built on the `h2` library.

Listens on 127.0.0.1 without TLS (h2c with prior knowledge), prints "PORT <n>" once ready, then serves
each connection in one of these ways (--mode):

  no-setting  its SETTINGS lack SETTINGS_ENABLE_CONNECT_PROTOCOL, so extended CONNECT is not allowed
  refuse      allows extended CONNECT and answers it with --status (403 unless given)
  reset       answers 200, then sends the first bytes of a text message and resets the stream with
              RST_STREAM --code (CANCEL, 0x8, unless given)
  goaway      answers 200, sends the text message "bye", then GOAWAY with --code and closes the connection

For every extended CONNECT it prints "CONNECT <:protocol> <:path> <:authority>".
"""

import argparse
import socket
import threading

import h2.config
import h2.connection
import h2.events
import h2.settings
from h2.settings import SettingCodes


def serve(client, args):
    config = h2.config.H2Configuration(client_side=False, validate_inbound_headers=False)
    connection = h2.connection.H2Connection(config=config)
    if args.mode != "no-setting":
        connection.local_settings = h2.settings.Settings(
            client=False, initial_values={SettingCodes.ENABLE_CONNECT_PROTOCOL: 1}
        )
    connection.initiate_connection()
    client.sendall(connection.data_to_send())
    try:
        while True:
            data = client.recv(65536)
            if not data:
                return
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    answer(connection, client, event, args)
                    if args.mode == "goaway":
                        return
            client.sendall(connection.data_to_send())
    except (ConnectionError, h2.exceptions.ProtocolError):
        return
    finally:
        client.close()


def answer(connection, client, event, args):
    fields = {name.decode(): value.decode() for name, value in event.headers}
    print(f"CONNECT {fields.get(':protocol')} {fields.get(':path')} {fields.get(':authority')}", flush=True)
    stream = event.stream_id
    if args.mode == "refuse":
        connection.send_headers(stream, [(":status", str(args.status or 403))], end_stream=True)
        return
    connection.send_headers(stream, [(":status", "200")])
    if args.mode == "reset":
        # A text frame of 10 bytes, of which 3 arrive.
        connection.send_data(stream, bytes([0x81, 10]) + b"abc")
        connection.reset_stream(stream, error_code=args.code if args.code is not None else 0x8)
    elif args.mode == "goaway":
        connection.send_data(stream, bytes([0x81, 3]) + b"bye")
        connection.close_connection(error_code=args.code if args.code is not None else 0x0, last_stream_id=stream)
        client.sendall(connection.data_to_send())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["no-setting", "refuse", "reset", "goaway"], required=True)
    parser.add_argument("--status", type=int, default=None)
    parser.add_argument("--code", type=int, default=None)
    args = parser.parse_args()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(target=serve, args=(client, args), daemon=True).start()


if __name__ == "__main__":
    main()
