# AllowUsers rblab@10.9.9.9 in sshd_config: the user matches, the client's address does not.
# expect: login-allowed
inject() {
    restart_sshd_with_config 22 "AllowUsers rblab@10.9.9.9"
}
