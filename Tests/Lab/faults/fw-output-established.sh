# Decoy: nft output chain with policy drop that accepts established/related and drops the VM's own SSH out (dport 22): sshd's replies get out, so the run must end healthy.
# expect:
inject() {
    printf '%s\n' 'table inet filter {' \
        '    chain output {' \
        '        type filter hook output priority filter; policy drop;' \
        '        ct state established,related accept' \
        '        oifname "lo" accept' \
        '        tcp dport 22 drop' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
