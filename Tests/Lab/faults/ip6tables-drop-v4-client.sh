# Decoy: ip6tables DROPs port 22, but the client connects over IPv4: the run must end healthy.
# expect:
inject() {
    nsx ip6tables -A INPUT -p tcp --dport 22 -j DROP
}
