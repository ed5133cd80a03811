# iptables -A INPUT -p tcp --dport 22 -j DROP in the namespace.
# expect: guest-firewall
inject() {
    nsx iptables -A INPUT -p tcp --dport 22 -j DROP
}
