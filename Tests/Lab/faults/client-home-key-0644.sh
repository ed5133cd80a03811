# The private key in the client's own ~/.ssh (named by its ~/.ssh/config) is chmod 644.
# expect: client-key-modes
inject() {
    chmod 644 "$CLIENT_HOME/.ssh/id_ed25519"
}
