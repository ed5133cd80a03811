# The client's ~/.ssh/config sends the connection through ProxyJump to 127.0.0.1:9, where nothing listens.
# expect: client-ssh-config
inject() {
    write_home_config "ProxyJump $LAB_USER_NAME@127.0.0.1:9"
}
