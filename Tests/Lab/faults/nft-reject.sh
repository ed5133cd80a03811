# nftables: tcp dport 22 reject (the port looks closed from outside).
# expect: guest-firewall
inject() {
    printf '%s\n' 'table inet filter {' \
        '    chain input {' \
        '        type filter hook input priority filter; policy accept;' \
        '        tcp dport { 22, 2222 } reject with tcp reset' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
