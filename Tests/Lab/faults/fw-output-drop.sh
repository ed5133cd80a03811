# iptables -A OUTPUT -p tcp --sport 22 -j DROP in the namespace: the SYN gets in, sshd's SYN-ACK never gets out.
# expect: guest-firewall
inject() {
    nsx iptables -A OUTPUT -p tcp --sport 22 -j DROP
}
