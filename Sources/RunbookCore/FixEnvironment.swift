/// The environment a `run` fix sees, decided in one place for lint, the runner and `plan`.
///
/// Each declared input reaches a fix as the variable ``Input/environmentName`` (`resource-group`
/// → `RESOURCE_GROUP`); a secret input also as `NAME_FILE`, the path of a file (mode 0600, in a
/// folder of mode 0700, removed when the fix ends) that holds the value, so that a fix can hand it
/// to a program as `@file` instead of on the command line (`az … --password "@$NEW_PASSWORD_FILE"`).
public enum FixEnvironment {
    /// Variables a fix may read without declaring them: the runner passes on the client's
    /// environment (these are the ones every login has), and the shell sets the rest.
    public static let knownVariables: Set<String> = [
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "PWD", "OLDPWD", "TMPDIR", "LANG", "LC_ALL", "TERM", "HOSTNAME",
        "IFS", "PPID", "RANDOM", "LINENO", "SECONDS", "OPTARG", "OPTIND", "UID", "EUID",
    ]

    /// Variables no input may set, because they change how the shell or the programs of a fix
    /// find and run code, or where they read their configuration.
    public static let refusedVariables: Set<String> = [
        "PATH", "HOME", "IFS", "ENV", "BASH_ENV", "SHELL", "SHELLOPTS", "BASHOPTS", "CDPATH", "GLOBIGNORE", "PS4",
        "PROMPT_COMMAND", "PWD", "OLDPWD", "TMPDIR", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "NODE_OPTIONS",
        "PERL5LIB", "PERL5OPT", "RUBYOPT", "GCONV_PATH", "HOSTALIASES", "LOCALDOMAIN", "RES_OPTIONS",
        "AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR",
    ]

    /// Prefixes of refused variables: the dynamic loader's, bash's exported functions, az's settings.
    public static let refusedPrefixes = ["LD_", "DYLD_", "BASH_FUNC_", "AZURE_CORE_", "AZURE_DEFAULTS_"]

    /// Why `input` must not reach a fix as a variable, or `nil` when it may.
    ///
    /// - Parameter inputs: all inputs of the runbook, to find a clash with a secret's `NAME_FILE`.
    public static func problem(with input: Input, among inputs: [Input]) -> String? {
        let name = input.environmentName
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first >= 65 && first <= 90) else {
            return "input '\(input.name)' would be the variable '\(name)', which is not a shell variable name"
        }
        if refusedVariables.contains(name) || refusedPrefixes.contains(where: { name.hasPrefix($0) }) {
            return "input '\(input.name)' would set the variable '\(name)', which changes how fixes run; rename it"
        }
        if let secret = inputs.first(where: { $0.secret && $0.fileEnvironmentName == name }) {
            return "input '\(input.name)' would set '\(name)', the file variable of secret input '\(secret.name)'"
        }
        return nil
    }

    /// The variables a fix of a runbook with `inputs` may read: known ones and the inputs'.
    public static func declaredVariables(for inputs: [Input]) -> Set<String> {
        var names = knownVariables
        for input in inputs {
            names.insert(input.environmentName)
            if input.secret { names.insert(input.fileEnvironmentName) }
        }
        return names
    }

    /// The inputs a script reads, through their variable or (secrets) their `NAME_FILE`.
    public static func inputs(readBy script: ShellScript, among inputs: [Input]) -> [Input] {
        let read = Set(script.references.map(\.name))
        return inputs.filter {
            read.contains($0.environmentName) || ($0.secret && read.contains($0.fileEnvironmentName))
        }
    }

    /// What a person is shown for a script: declared inputs' values in place of their variables,
    /// secrets as `***`; variables without a value stay as written.
    public static func display(
        _ body: String, inputs: [Input], values: [String: String], secrets: Set<String> = []
    ) -> String {
        var shown: [String: String] = [:]
        for input in inputs {
            guard let value = values[input.name] else { continue }
            shown[input.environmentName] = input.secret || secrets.contains(input.name) ? SecretMask.placeholder : value
        }
        return ShellScript(body).display(body, values: shown)
    }
}

extension Input {
    /// For a secret input: the variable holding the path of a file with its value (`NEW_PASSWORD_FILE`).
    public var fileEnvironmentName: String { environmentName + "_FILE" }
}
