/// The OpenAPI 3.1 document of the API, `openapi.yaml` in this folder, compiled into the binary.
public enum OpenAPIDocument {
    public static let bytes: [UInt8] = PackageResources.openapi_yaml
    public static var text: String { String(decoding: bytes, as: UTF8.self) }
}
