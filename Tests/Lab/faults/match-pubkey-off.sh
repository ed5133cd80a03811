# A Match Address block for the client's address sets PubkeyAuthentication no; sshd restarted.
# expect: login-allowed
inject() {
    restart_sshd_with_config 22 "Match Address $(host_addr)" "    PubkeyAuthentication no"
}
