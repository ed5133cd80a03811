# The client's private key is chmod 644.
# expect: client-key-modes
# client: file
inject() {
    chmod 644 "$CLIENT/id_ed25519"
}
