# DenyGroups rblab (the lab user's primary group) in sshd_config, sshd restarted.
# expect: login-allowed
inject() {
    restart_sshd_with_config 22 "DenyGroups rblab"
}
