# iptables ACCEPTs port 22, but a separate nftables table drops it: the packet must pass both.
# expect: guest-firewall
inject() {
    nsx iptables -A INPUT -p tcp --dport 22 -j ACCEPT
    printf '%s\n' 'table inet extra {' \
        '    chain input {' \
        '        type filter hook input priority 10; policy accept;' \
        '        tcp dport 22 drop' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
