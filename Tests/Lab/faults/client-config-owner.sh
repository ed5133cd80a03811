# The client's ~/.ssh/config belongs to another user (nobody): ssh refuses to read it.
# expect: client-ssh-config
inject() {
    chown 65534 "$CLIENT_HOME/.ssh/config"
}
