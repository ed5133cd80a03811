# Decoy: nftables drops a source range that does not hold the client's address: the run must end healthy.
# expect:
inject() {
    printf '%s\n' 'table inet filter {' \
        '    chain input {' \
        '        type filter hook input priority filter; policy accept;' \
        '        ip saddr 10.231.250.0-10.231.255.255 drop' \
        '        ip saddr 192.0.2.0/24 tcp dport 22 drop' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
