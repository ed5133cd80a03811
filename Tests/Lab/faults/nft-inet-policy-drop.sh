# nftables inet table: input chain with policy drop that accepts only established/related and loopback.
# expect: guest-firewall
inject() {
    printf '%s\n' 'table inet filter {' \
        '    chain input {' \
        '        type filter hook input priority filter; policy drop;' \
        '        ct state established,related accept' \
        '        iif "lo" accept' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
