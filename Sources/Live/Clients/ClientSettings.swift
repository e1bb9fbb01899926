import Spec

/// A credential as a connection setting gives it: a reference to resolve (`env:NAME`, `file:PATH`), or a value
/// already in hand (the sandbox's default credentials).
public enum Credential: Sendable, Hashable {
    case reference(SecretRef)
    case value(Secret)

    func resolve(with resolver: SecretResolver, setting: String) throws(LiveError) -> Secret {
        switch self {
        case .reference(let reference): try resolver.resolve(reference, setting: setting)
        case .value(let secret): secret
        }
    }
}

/// The live-system connections of a workspace, in plain values (the CLI fills them from `stoicprov.yaml`, or with
/// `--sandbox` from the sandbox's defaults). `nil` base URLs mean the vendor's production URL.
public struct ClientSettings: Sendable {
    public struct Thinkific: Sendable {
        public var subdomain: String
        public var apiKey: Credential
        public var baseURL: String?
        public var requestsPerMinute: Double?

        public init(
            subdomain: String, apiKey: Credential, baseURL: String? = nil,
            requestsPerMinute: Double? = Double(VendorLimits.thinkificPerMinute)
        ) {
            self.subdomain = subdomain
            self.apiKey = apiKey
            self.baseURL = baseURL
            self.requestsPerMinute = requestsPerMinute
        }
    }

    public struct WorkOS: Sendable {
        public var apiKey: Credential
        public var baseURL: String?
        public var requestsPerMinute: Double?

        public init(
            apiKey: Credential, baseURL: String? = nil, requestsPerMinute: Double? = Double(VendorLimits.workosPerMinute)
        ) {
            self.apiKey = apiKey
            self.baseURL = baseURL
            self.requestsPerMinute = requestsPerMinute
        }
    }

    public struct SCIM: Sendable {
        /// The connection name (`insights`, `dashboard`).
        public var app: String
        public var baseURL: String
        public var token: Credential
        public var requestsPerMinute: Double?

        public init(app: String, baseURL: String, token: Credential, requestsPerMinute: Double? = nil) {
            self.app = app
            self.baseURL = baseURL
            self.token = token
            self.requestsPerMinute = requestsPerMinute
        }
    }

    public var thinkific: Thinkific?
    public var workos: WorkOS?
    public var scim: [SCIM]

    public init(thinkific: Thinkific? = nil, workos: WorkOS? = nil, scim: [SCIM] = []) {
        self.thinkific = thinkific
        self.workos = workos
        self.scim = scim
    }
}

extension Observer {
    /// An observer over live connections: resolves the credentials before any request is made (a missing one is the
    /// error, named by setting and variable or path), then builds one connection per system, all on one transport.
    public convenience init(
        settings: ClientSettings, resolver: SecretResolver, transport: any HTTPTransport = URLSessionTransport(),
        environment: ChannelEnvironment = .live
    ) throws(LiveError) {
        var thinkific: ThinkificClient?
        if let site = settings.thinkific {
            let key = try site.apiKey.resolve(with: resolver, setting: "connections.thinkific.api_key")
            thinkific = ThinkificClient(
                channel: ThinkificClient.channel(
                    subdomain: site.subdomain, apiKey: key, baseURL: site.baseURL ?? ThinkificClient.productionBaseURL,
                    policy: .thinkific(requestsPerMinute: site.requestsPerMinute), transport: transport,
                    environment: environment))
        }
        var workos: WorkOSClient?
        if let account = settings.workos {
            let key = try account.apiKey.resolve(with: resolver, setting: "connections.workos.api_key")
            workos = WorkOSClient(
                channel: WorkOSClient.channel(
                    apiKey: key, baseURL: account.baseURL ?? WorkOSClient.productionBaseURL,
                    policy: .workos(requestsPerMinute: account.requestsPerMinute), transport: transport,
                    environment: environment))
        }
        var scim: [String: SCIMClient] = [:]
        for app in settings.scim {
            let token = try app.token.resolve(with: resolver, setting: "connections.\(app.app).token")
            scim[app.app] = SCIMClient(
                channel: SCIMClient.channel(
                    app: app.app, baseURL: app.baseURL, token: token, policy: .scim(requestsPerMinute: app.requestsPerMinute),
                    transport: transport, environment: environment))
        }
        self.init(thinkific: thinkific, workos: workos, scim: scim)
    }
}
