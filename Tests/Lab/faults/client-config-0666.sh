# The client's ~/.ssh/config is chmod 666: ssh refuses to read it ("Bad owner or permissions").
# expect: client-ssh-config
inject() {
    chmod 666 "$CLIENT_HOME/.ssh/config"
}
