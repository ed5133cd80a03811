# The IdentityFile named in the client's ~/.ssh/config (~/.ssh/id_ed25519) is gone (moved away).
# expect: client-key-modes
inject() {
    mv "$CLIENT_HOME/.ssh/id_ed25519" "$CLIENT_HOME/.ssh/id_ed25519.moved"
    mv "$CLIENT_HOME/.ssh/id_ed25519.pub" "$CLIENT_HOME/.ssh/id_ed25519.pub.moved"
}
