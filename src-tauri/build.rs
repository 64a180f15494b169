//! Generates the Tauri context: the embedded page, the configuration and the capabilities.

fn main() {
    // Capabilities live beside the shell's sources rather than next to tauri.conf.json, so the
    // path is set here and cargo rebuilds when they change.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("src-tauri/capabilities/**/*");
    tauri_build::try_build(attributes)
        .expect("tauri-build failed: check tauri.conf.json and src-tauri/capabilities");
}
