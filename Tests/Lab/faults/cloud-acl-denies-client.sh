# The Classic endpoint's ACL denies the client's subnet (10.231.0.0/16) before permitting everyone else.
# expect: endpoint-acl
# models: classic
# fixed: --yes
inject() {
    python3 - "$AZ_STUB_DIR/fixtures/classic/acl-denies-client.json" "$DIR/cloud/classic.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for role in doc["RoleList"]:
    for config in role["ConfigurationSets"]:
        for endpoint in config.get("InputEndpoints", []):
            for rule in endpoint.get("EndpointAcl", {}).get("Rules", []):
                if rule["Action"] == "deny":
                    rule["RemoteSubnet"] = "10.231.0.0/16"
json.dump(doc, open(sys.argv[2], "w"))
PY
    cloud_drop
}
