# nftables: the input chain jumps to a regular chain whose rule drops port 22.
# expect: guest-firewall
inject() {
    printf '%s\n' 'table inet filter {' \
        '    chain services {' \
        '        tcp dport 80 accept' \
        '        tcp dport 22 drop' \
        '    }' \
        '    chain input {' \
        '        type filter hook input priority filter; policy accept;' \
        '        ct state established,related accept' \
        '        jump services' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
