# The client's key gets a passphrase and no agent holds it: a non-interactive login cannot use it.
# expect: client-key-modes
inject() {
    ssh-keygen -q -p -P '' -N 'lab passphrase' -f "$CLIENT_HOME/.ssh/id_ed25519" >/dev/null
}
