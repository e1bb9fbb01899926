import Live
import Sandbox

/// Clients of a running sandbox on its default credentials, for tests that need their own connection policy
/// (short backoff through injected faults, a short timeout). Tests that take the production policies use
/// `ClientSettings.sandbox(_:)` instead.
public enum SandboxClients {
    /// An observer (and so apply clients) over Thinkific, WorkOS and the SCIM `apps` of the sandbox at `root`, all on
    /// one transport; Thinkific paced by `thinkificPolicy` (default: `policy`).
    public static func observer(
        _ root: String, scimApps apps: [String] = ["insights"], policy: ChannelPolicy,
        thinkificPolicy: ChannelPolicy? = nil, transport: any HTTPTransport = URLSessionTransport()
    ) -> Observer {
        Observer(
            thinkific: ThinkificClient(
                channel: ThinkificClient.channel(
                    subdomain: SandboxDefaults.thinkificSubdomain, apiKey: Secret(SandboxDefaults.thinkificAPIKey),
                    baseURL: SandboxDefaults.thinkificBase(root), policy: thinkificPolicy ?? policy, transport: transport)),
            workos: WorkOSClient(
                channel: WorkOSClient.channel(
                    apiKey: Secret(SandboxDefaults.workosAPIKey), baseURL: SandboxDefaults.workosBase(root), policy: policy,
                    transport: transport)),
            scim: Dictionary(
                uniqueKeysWithValues: apps.map { app in
                    (
                        app,
                        SCIMClient(
                            channel: SCIMClient.channel(
                                app: app, baseURL: SandboxDefaults.scimBase(root, app: app),
                                token: Secret(SandboxDefaults.scimToken(app: app)), policy: policy, transport: transport))
                    )
                }))
    }
}
