//! `cabinet-sim`: runs the cabinet simulator until Ctrl-C.
//!
//! The first stdout line is the WebSocket endpoint and the second the device number and
//! token, so that scripts can read them. Logs go to stderr.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::Context as _;
use cabinet_sim::{Scenario, SimConfig, DEFAULT_DEVICE_NO, DEFAULT_TOKEN};
use clap::Parser;
use tracing_subscriber::EnvFilter;

/// Stand-in for the vendor's cabinet server: plays a replenishment scenario on
/// ws://HOST:PORT/websocket/ssib/replenish and serves product pictures under /upload/image/.
#[derive(Debug, Parser)]
#[command(name = "cabinet-sim", version)]
struct Args {
    /// Scenario played on every WebSocket connection (see --list-scenarios).
    #[arg(long, value_name = "NAME", default_value = "three-drinks")]
    scenario: Scenario,

    /// TCP port to listen on; 0 picks a free port.
    #[arg(long, default_value_t = 0)]
    port: u16,

    /// IP address to listen on. Give 0.0.0.0 to accept connections from other hosts.
    #[arg(long, value_name = "IP", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,

    /// Device number (deviceNo query parameter) the handshake accepts.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_DEVICE_NO)]
    device: u64,

    /// Token (token query parameter) the handshake accepts.
    #[arg(long, value_name = "T", default_value = DEFAULT_TOKEN)]
    token: String,

    /// Seconds between the door frame and the final frame, or the dropped connection in
    /// drop-before-final; fractions allowed.
    #[arg(long, value_name = "S", default_value = "2", value_parser = parse_seconds)]
    door_open_secs: Duration,

    /// Milliseconds between the WebSocket handshake and the door frame.
    #[arg(long, value_name = "MS", default_value_t = 300)]
    door_delay_ms: u64,

    /// Print every scenario name with a description, then exit.
    #[arg(long)]
    list_scenarios: bool,
}

fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("invalid number of seconds {text:?}; give e.g. 2 or 0.5"))?;
    Duration::try_from_secs_f64(seconds)
        .map_err(|_| format!("invalid number of seconds {text:?}; give a non-negative number"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();

    let args = Args::parse();
    if args.list_scenarios {
        for scenario in Scenario::all() {
            println!("{:<30} {}", scenario.name(), scenario.description());
        }
        return Ok(());
    }

    let config = SimConfig {
        scenario: args.scenario,
        device_no: args.device,
        token: args.token.clone(),
        door_delay: Duration::from_millis(args.door_delay_ms),
        door_open_for: args.door_open_secs,
        bind: SocketAddr::new(args.bind, args.port),
        tls: None,
    };
    let stop_signal = StopSignal::install()?;
    let sim = cabinet_sim::start(config)
        .await
        .context("failed to start the cabinet simulator")?;

    // The token is a fixed test value that clients need, so it is printed; it is never logged.
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{}", sim.ws_endpoint())?;
    writeln!(stdout, "deviceNo={} token={}", args.device, args.token)?;
    stdout.flush()?;
    drop(stdout);

    stop_signal.wait().await?;
    sim.shutdown().await;
    Ok(())
}

/// Ctrl-C, and on Unix also SIGTERM. The handlers are installed on creation, so a signal
/// that arrives before [`StopSignal::wait`] is not lost.
struct StopSignal {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignal {
    fn install() -> anyhow::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};

            Ok(Self {
                interrupt: signal(SignalKind::interrupt())
                    .context("failed to listen for Ctrl-C (SIGINT)")?,
                terminate: signal(SignalKind::terminate())
                    .context("failed to listen for SIGTERM")?,
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn wait(mut self) -> anyhow::Result<()> {
        #[cfg(unix)]
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c()
            .await
            .context("failed to listen for Ctrl-C")?;

        tracing::info!("stop signal received");
        Ok(())
    }
}
