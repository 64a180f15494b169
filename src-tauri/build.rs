//! Generates the Tauri context: the embedded page, the configuration and the capabilities.

/// Every command of the app. Listing them makes Tauri deny each one unless a capability grants
/// its `allow-…` permission, so the window gets exactly the commands that
/// `src-tauri/capabilities/main.json` names. A test in `src-tauri/src/capability_check.rs` keeps
/// this list, the capability and `generate_handler!` in step.
const COMMANDS: &[&str] = &[
    "ui_bootstrap",
    "set_language",
    "start_session",
    "cancel_session",
    "retry_session",
    "connection_settings",
    "set_connection_settings",
    "forget_device",
    "list_records",
    "open_record",
    "export_records",
    "check_update",
    "postpone_update",
    "download_update",
    "install_update",
    "notification_settings",
    "set_notification_settings",
];

fn main() {
    // Capabilities live beside the shell's sources rather than next to tauri.conf.json, so the
    // path is set here and cargo rebuilds when they change.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    let attributes = tauri_build::Attributes::new()
        .capabilities_path_pattern("src-tauri/capabilities/**/*")
        .app_manifest(manifest);
    tauri_build::try_build(attributes)
        .expect("tauri-build failed: check tauri.conf.json and src-tauri/capabilities");
}
