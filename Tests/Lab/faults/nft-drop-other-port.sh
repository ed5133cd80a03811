# Decoy: nftables drops port 2222 only; SSH on 22 is untouched, so the run must end healthy.
# expect:
inject() {
    printf '%s\n' 'table inet filter {' \
        '    chain input {' \
        '        type filter hook input priority filter; policy accept;' \
        '        tcp dport 2222 drop' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
