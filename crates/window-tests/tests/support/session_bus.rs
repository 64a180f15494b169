//! A private D-Bus session bus for one app window.
//!
//! The single-instance plugin finds a running app through a well-known name on the session bus.
//! Each window gets its own bus, so a test's second launch reaches that test's window only, and
//! never the tester's own running app or another test's window.
//!
//! The bus has no service directories, so it starts no services on demand. On the standard
//! session bus, WebKitGTK and GTK start the accessibility bus and the desktop portals, which would
//! outlive nothing useful here and mount a FUSE file system under the user's cache folder.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use anyhow::{bail, Context, Result};

/// The bus's configuration: the session bus's policy (everything allowed for the one user who
/// can connect) and a socket in the bus's own folder.
const CONFIG: &str = r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=FOLDER</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#;

/// A `dbus-daemon` process, stopped when dropped.
pub struct SessionBus {
    daemon: Child,
    address: String,
    /// Holds the configuration file and the socket until the daemon has stopped.
    _folder: tempfile::TempDir,
}

impl SessionBus {
    /// Starts the daemon and reads the address that it prints once it listens.
    pub fn start() -> Result<Self> {
        let folder = tempfile::tempdir()?;
        let config = folder.path().join("session.conf");
        let folder_text = folder
            .path()
            .to_str()
            .context("the temporary folder's path is not UTF-8")?;
        std::fs::write(&config, CONFIG.replace("FOLDER", folder_text))?;

        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--nopidfile", "--print-address=1"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            // It warns on every start that it may not raise its file limit, which is harmless.
            .stderr(Stdio::null())
            .spawn()
            .context(
                "dbus-daemon did not start: run scripts/setup-debian.sh, or `apt-get install dbus`",
            )?;

        let stdout = daemon.stdout.take().context("dbus-daemon stdout")?;
        let mut address = String::new();
        BufReader::new(stdout)
            .read_line(&mut address)
            .context("reading the address that dbus-daemon prints")?;
        let address = address.trim().to_owned();
        if address.is_empty() {
            let _ = daemon.kill();
            let _ = daemon.wait();
            bail!("dbus-daemon exited without printing its address");
        }
        Ok(Self {
            daemon,
            address,
            _folder: folder,
        })
    }

    /// Returns the value for `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}
