# nftables: iifname "eth0" tcp dport 22 drop (the VM's interface toward the client is eth0).
# expect: guest-firewall
inject() {
    printf '%s\n' 'table ip filter4 {' \
        '    chain input {' \
        '        type filter hook input priority 0; policy accept;' \
        '        iifname "eth0" tcp dport 22 drop' \
        '    }' \
        '}' >"$RUN/fault.nft"
    nsx nft -f "$RUN/fault.nft"
}
