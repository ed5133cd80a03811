# DenyUsers rblab in sshd_config, sshd restarted.
# expect: login-allowed
inject() {
    restart_sshd_with_config 22 "DenyUsers rblab"
}
