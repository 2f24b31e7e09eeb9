extension OpenAPIDocument {
    /// The query parameters each operation declares, keyed like "GET /v1/stores/{store_id}/stock",
    /// read from the document itself so that what the server accepts and what it documents cannot
    /// drift apart. Parameters come inline (`- { name: q, in: query, … }`) or as references to
    /// `components/parameters`, on the operation or on its path.
    ///
    /// This reads the layout `openapi.yaml` is written in (two spaces per level, one parameter per
    /// line), not YAML in general; `OpenAPIDocumentTests` checks the result against the routes.
    static func queryParameters() -> [String: Set<String>] {
        let components = componentQueryParameters()
        var operations: [String: Set<String>] = [:]
        var pathParameters: [String: Set<String>] = [:]
        var path: String?
        var method: String?
        var parameterIndent: Int?
        for (indent, content) in lines(of: "paths:") {
            if let level = parameterIndent, indent <= level { parameterIndent = nil }
            if indent == 2, content.hasPrefix("/"), content.hasSuffix(":") {
                path = String(content.dropLast())
                method = nil
            } else if indent == 4, ["get:", "post:", "put:", "patch:", "delete:"].contains(content) {
                method = String(content.dropLast()).uppercased()
                if let path { operations["\(method!) \(path)", default: []].formUnion(pathParameters[path] ?? []) }
            } else if content == "parameters:", indent == 4 || indent == 6 {
                parameterIndent = indent
            } else if parameterIndent != nil, content.hasPrefix("- "), let path {
                guard let name = queryParameterName(String(content), components: components) else { continue }
                if let method {
                    operations["\(method) \(path)", default: []].insert(name)
                } else {
                    pathParameters[path, default: []].insert(name)
                }
            }
        }
        return operations
    }

    /// The name of a parameter item when it is a query parameter, inline or by reference.
    private static func queryParameterName(_ item: String, components: [String: String]) -> String? {
        if let reference = item.range(of: "#/components/parameters/") {
            let name = item[reference.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return components[String(name)]
        }
        guard item.contains("in: query"), let start = item.range(of: "name: ") else { return nil }
        return String(item[start.upperBound...].prefix { $0 != "," && $0 != " " && $0 != "}" })
    }

    /// `components/parameters` entries that are query parameters: component name → parameter name.
    private static func componentQueryParameters() -> [String: String] {
        var result: [String: String] = [:]
        var inParameters = false
        var component: String?
        var name: String?
        for (indent, content) in lines(of: "components:") {
            if indent == 2 { inParameters = content == "parameters:" }
            guard inParameters else { continue }
            if indent == 4 {
                component = String(content.dropLast())
                name = nil
            } else if indent == 6, content.hasPrefix("name: ") {
                name = String(content.dropFirst(6))
            } else if indent == 6, content == "in: query", let component, let name {
                result[component] = name
            }
        }
        return result
    }

    /// The non-blank lines inside the top-level `section` (such as `paths:`), with their indentation.
    private static func lines(of section: String) -> [(indent: Int, content: Substring)] {
        var current = ""
        var result: [(indent: Int, content: Substring)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            guard !content.isEmpty else { continue }
            if indent == 0 { current = String(content) } else if current == section { result.append((indent, content)) }
        }
        return result
    }
}
