# The same with -j REJECT --reject-with tcp-reset.
# expect: guest-firewall
inject() {
    nsx iptables -A INPUT -p tcp --dport 22 -j REJECT --reject-with tcp-reset
}
