/// Service names as legacy articles write them (`ms.service`, `services=`), in one spelling.
enum ServiceName {
    /// `app-service\web`, `App-Service/Web ` → `app-service/web`; `DNS` → `dns`; `Resource health`
    /// → `resource-health`: lower case, `/` for `\`, `-` for each run of blanks, no blanks around.
    static func normalized(_ name: String) -> String {
        var result = ""
        var pendingBlank = false
        for character in name.lowercased() {
            if character.isWhitespace {
                pendingBlank = !result.isEmpty
                continue
            }
            if pendingBlank { result.append("-") }
            pendingBlank = false
            result.append(character == "\\" ? "/" : character)
        }
        return result
    }
}
