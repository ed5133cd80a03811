# nftables named set of blocked sources that holds the client's address (the lab host), dropped in input.
# expect: guest-firewall
inject() {
    printf '%s\n' 'table inet filter {' \
        '    set blocked {' \
        '        type ipv4_addr; flags interval;' \
        "        elements = { 192.0.2.0/24, $(host_addr), 198.51.100.7 }" \
        '    }' \
        '    chain input {' \
        '        type filter hook input priority filter; policy accept;' \
        '        ip saddr @blocked counter drop' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
