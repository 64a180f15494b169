//! Checks that the window's permissions stay as narrow as the page needs. Every command the shell
//! registers is listed for the access control and granted by the capability, and nothing else
//! is. The content security policy admits no remote origin and no inline script. No file system,
//! shell or HTTP plugin is compiled in.

use std::collections::BTreeSet;

const BUILD_SCRIPT: &str = include_str!("../build.rs");
const MAIN: &str = include_str!("main.rs");
const CAPABILITY: &str = include_str!("../capabilities/main.json");
const CONFIG: &str = include_str!("../../tauri.conf.json");
const MANIFEST: &str = include_str!("../../Cargo.toml");

/// Returns the command names between `COMMANDS: &[&str] = &[` and `];` in build.rs.
fn listed_commands() -> BTreeSet<String> {
    let start = BUILD_SCRIPT
        .find("COMMANDS: &[&str] = &[")
        .expect("build.rs lists COMMANDS");
    let rest = &BUILD_SCRIPT[start..];
    let end = rest.find("];").expect("the COMMANDS list ends");
    rest[..end]
        .lines()
        .skip(1)
        .map(|line| line.trim().trim_end_matches(',').trim_matches('"'))
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Returns the command names in `generate_handler![…]` in main.rs, without their module paths.
fn registered_commands() -> BTreeSet<String> {
    let start = MAIN
        .find("generate_handler![")
        .expect("main.rs registers commands");
    let rest = &MAIN[start + "generate_handler![".len()..];
    let end = rest.find(']').expect("the handler list ends");
    rest[..end]
        .split(',')
        .map(|path| path.trim().rsplit("::").next().unwrap_or_default())
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

fn granted_permissions() -> BTreeSet<String> {
    let capability: serde_json::Value =
        serde_json::from_str(CAPABILITY).expect("the capability is JSON");
    capability["permissions"]
        .as_array()
        .expect("the capability lists permissions")
        .iter()
        .map(|permission| permission.as_str().expect("plain permission").to_owned())
        .collect()
}

#[test]
fn commands_listed_and_granted_exactly() {
    let listed = listed_commands();
    assert_eq!(listed, registered_commands(), "build.rs vs main.rs");

    let mut expected: BTreeSet<String> = listed
        .iter()
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    expected.insert("core:event:allow-listen".to_owned());
    expected.insert("core:event:allow-unlisten".to_owned());
    assert_eq!(granted_permissions(), expected);
}

#[test]
fn csp_admits_only_local_sources() {
    let config: serde_json::Value = serde_json::from_str(CONFIG).expect("tauri.conf.json is JSON");
    let csp = config["app"]["security"]["csp"]
        .as_object()
        .expect("the CSP is set as directives");

    for (directive, sources) in csp {
        let sources = sources.as_str().expect("each directive is text");
        for source in sources.split_whitespace() {
            let allowed = matches!(source, "'self'" | "'none'" | "thumb:" | "ipc:")
                || source == "http://thumb.localhost"
                || source == "http://ipc.localhost";
            assert!(allowed, "{directive} admits {source}");
        }
    }
    assert_eq!(csp["script-src"], "'self'");
    assert_eq!(csp["object-src"], "'none'");
}

#[test]
fn no_fs_shell_or_http_plugin() {
    for plugin in [
        "tauri-plugin-fs",
        "tauri-plugin-shell",
        "tauri-plugin-http",
        "tauri-plugin-dialog",
    ] {
        assert!(!MANIFEST.contains(plugin), "Cargo.toml depends on {plugin}");
    }
}
