#!/bin/sh
# Makes throw-away TLS test certificates with the openssl command-line tool, for the WSTLS tests and the
# end-to-end tests. Usage: make-test-certs.sh DIR   (DIR is created; existing files in it are replaced)
#
# Every certificate is issued by a fresh test CA (ca.pem) unless said otherwise; every key is EC P-256 and
# unencrypted, in NAME.key beside NAME.pem:
#   localhost    DNS:localhost, IP:127.0.0.1, IP:::1            server certificate, valid now
#   other        DNS:other.example only                        server certificate, valid now
#   expired      DNS:localhost, IP:127.0.0.1, valid 2020-2021
#   notyet       DNS:localhost, IP:127.0.0.1, valid from 2099
#   selfsigned   DNS:localhost, IP:127.0.0.1, self-signed (not issued by the CA)
#   cnonly       CN=localhost and no subjectAltName at all     names localhost in its subject only
#   cnip         CN=localhost, IP:127.0.0.1 only               no DNS name: localhost is in its subject only
#   evilnames    DNS:evil<ESC>[31m.test, DNS:bell<BEL>.test      names with control characters, for escaping
#   client       CN=wsc test client, clientAuth                client certificate for mutual TLS
#   encrypted.key  the client key protected by the passphrase "secret"
set -eu

dir=${1:?usage: make-test-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
rm -f index.txt* serial* ./*.pem ./*.key ./*.csr ./*.cnf

cat > ca.cnf <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = wsc test CA
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ca]
default_ca = test_ca
[test_ca]
database = ./index.txt
new_certs_dir = ./issued
serial = ./serial
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
[server_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $ENV::WSC_SAN
[server_ext_without_san]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
[client_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
CNF
: > index.txt
mkdir -p issued
echo 1000 > serial

newkey() {
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
}

# issue NAME CN EXTENSIONS [openssl-ca validity options...]
issue() {
    name=$1 cn=$2 ext=$3
    shift 3
    newkey "$name"
    openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$name.csr"
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$name.csr" -out "$name.pem" \
        -extensions "$ext" -notext "$@" 2>/dev/null
    rm -f "$name.csr"
}

export WSC_SAN="DNS:localhost"
newkey ca
openssl req -x509 -new -config ca.cnf -key ca.key -extensions ca_ext -days 3650 -out ca.pem

WSC_SAN="DNS:localhost, IP:127.0.0.1, IP:::1" issue localhost localhost server_ext -days 3650
WSC_SAN="DNS:other.example" issue other other.example server_ext -days 3650
WSC_SAN="DNS:localhost, IP:127.0.0.1" issue expired localhost server_ext \
    -startdate 20200101000000Z -enddate 20210101000000Z
WSC_SAN="DNS:localhost, IP:127.0.0.1" issue notyet localhost server_ext \
    -startdate 20990101000000Z -enddate 21000101000000Z
issue client "wsc test client" client_ext -days 3650
issue cnonly localhost server_ext_without_san -days 3650
WSC_SAN="IP:127.0.0.1" issue cnip localhost server_ext -days 3650
WSC_SAN="DNS:evil$(printf '\033')[31m.test, DNS:bell$(printf '\007').test" issue evilnames evil.test server_ext -days 3650

newkey selfsigned
WSC_SAN="DNS:localhost, IP:127.0.0.1" openssl req -x509 -new -config ca.cnf -key selfsigned.key \
    -subj "/CN=localhost" -extensions server_ext -days 3650 -out selfsigned.pem

openssl pkey -in client.key -aes256 -passout pass:secret -out encrypted.key

rm -rf index.txt* serial* ca.cnf issued
