//! Readable output in both languages, `--help`, usage errors, the three ways to pass the token,
//! and that the token never reaches stdout or stderr.

mod common;

use cabinet_sim::{Scenario, DEFAULT_TOKEN};
use common::*;
use replenish_core::endpoint::DEFAULT_ENDPOINT;

const ZH: (&str, &str) = ("LANG", "zh_CN.UTF-8");
const EN: (&str, &str) = ("LANG", "en_US.UTF-8");

/// Environment variables set for one run.
type Env<'a> = &'a [(&'a str, &'a str)];

/// A token with every character that percent-encoding changes, long enough to be masked as
/// `tok+…CDEF` rather than hidden whole.
const SPECIAL_TOKEN: &str = "tok+en/with=special&chars~0123456789ABCDEF";

// ---- Readable output ----

#[tokio::test]
async fn chinese_output_by_default() {
    let sim = start_short(Scenario::ThreeDrinks).await;

    let run = run_with(&watch_with_token(&sim), &[ZH], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    for expected in [
        "正在连接货柜服务器…",
        "门已打开，请补货",
        "服务器消息：开门成功,请补货",
        "补货完成",
        "补货记录号 33116",
        "货柜 1",
        "货道 101 · 阿莎姆奶茶 · 饮料 · 商品 ID 3297",
        "补货 13 · 撤货 0 · 净变化 +13 · 库存 41",
        "销售价 ¥6.50 元/件 · 成本价 ¥3.10 元/件",
        "销售金额 ¥84.50 · 成本金额 ¥40.30",
        "货柜 1 合计：2 种商品",
        "本次合计：3 种商品 · 补货 30 · 撤货 0 · 净变化 +30 · 销售金额 ¥178.50 · 成本金额 ¥84.00",
        "连接已关闭，关闭码 1000。",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected} in:\n{}",
            run.stdout
        );
    }
    assert_eq!(run.stderr, "");
    assert_eq!(client_close_code(&sim, 0).await, Some(1000));
    sim.shutdown().await;
}

#[tokio::test]
async fn english_output_from_lang() {
    let sim = start_short(Scenario::ThreeDrinks).await;

    let run = run_with(&watch_with_token(&sim), &[EN], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    for expected in [
        "Connecting to the cabinet server…",
        "The door is open: restock now",
        "Server message: 开门成功,请补货",
        "Replenishment finished",
        "Cabinet 1",
        "Aisle 101 · 阿莎姆奶茶 · 饮料 · Product ID 3297",
        "Added 13 · Removed 0 · Net change +13 · Stock 41",
        "Sale price ¥6.50 yuan/piece · Cost price ¥3.10 yuan/piece",
        "Sale value ¥84.50 · Cost value ¥40.30",
        "Cabinet 1 totals: 2 products",
        "Record totals: 3 products",
        "Connection closed with close code 1000.",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected} in:\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("补货完成"), "{}", run.stdout);
    sim.shutdown().await;
}

#[tokio::test]
async fn language_option_beats_lang() {
    let sim = start_short(Scenario::Empty).await;
    let mut args = watch_with_token(&sim);
    args.extend(["--language".into(), "en".into()]);

    let run = run_with(&args, &[ZH], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout
            .contains("The door was opened, but nothing was restocked."),
        "{}",
        run.stdout
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn revised_counts_show_first_count() {
    let sim = start_short(Scenario::Large).await;

    let run = run_with(&watch_with_token(&sim), &[EN], None).await;

    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("(first count "), "no first count shown");
    assert!(run.stdout.contains("yuan/jin"), "no bulk price shown");
    assert!(run.stdout.contains("Cabinet 6 totals: 100 products"));
    sim.shutdown().await;
}

#[tokio::test]
async fn failure_shows_message_and_next_step() {
    let sim = start_short(Scenario::FailureSomeoneShopping).await;

    let run = run_with(&watch_with_token(&sim), &[ZH], None).await;

    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.contains("补货失败"), "{}", run.stdout);
    assert!(
        run.stdout.contains("服务器消息：有人正在购物"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("请确认没有人正在购物"),
        "next step missing:\n{}",
        run.stdout
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn door_failed_shows_next_step() {
    let sim = start_short(Scenario::DoorFailed).await;

    let run = run_with(&watch_with_token(&sim), &[EN], None).await;

    assert_eq!(run.code, Some(3), "{run:?}");
    assert!(
        run.stdout.contains("The door did not open"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("网络不畅,请稍后再试"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Request a new token"),
        "next step missing:\n{}",
        run.stdout
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn rejected_handshake_shows_status() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let mut args = watch_args(&sim);
    args.extend(["--token".into(), "wrong-token-value".into()]);

    let run = run_with(&args, &[EN], None).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert!(run.stdout.contains("HTTP 401"), "{}", run.stdout);
    assert!(run.stdout.contains("invalid token"), "{}", run.stdout);
    assert!(run.stdout.contains("Check both."), "{}", run.stdout);
    sim.shutdown().await;
}

#[tokio::test]
async fn lost_connection_shows_next_step() {
    let sim = start_short(Scenario::DropBeforeFinal).await;
    let mut args = watch_with_token(&sim);
    args.extend(["--retries".to_owned(), "0".to_owned()]);

    let run = run_with(&args, &[ZH], None).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert!(
        run.stdout.contains("与货柜服务器的连接已断开"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("请先在后台核对"), "{}", run.stdout);
    sim.shutdown().await;
}

#[tokio::test]
async fn malformed_frames_become_notices() {
    let sim = start_short(Scenario::MalformedFrames).await;

    let run = run_with(&watch_with_token(&sim), &[EN], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    for notice in [
        "Notice: Ignored a message that is not JSON.",
        "Notice: Ignored a binary message.",
        "Notice: Ignored a message without a type field.",
    ] {
        assert_eq!(
            run.stdout.matches(notice).count(),
            1,
            "{notice}: {}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("“heartbeat”"), "{}", run.stdout);
    sim.shutdown().await;
}

#[tokio::test]
async fn html_name_printed_as_text() {
    let sim = start_short(Scenario::HtmlName).await;

    let run = run_with(&watch_with_token(&sim), &[ZH], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.stdout
            .contains("<img src=x onerror=alert(1)><b>奶茶</b> · <script>x</script>"),
        "{}",
        run.stdout
    );
    sim.shutdown().await;
}

// ---- Help ----

#[tokio::test]
async fn watch_help_in_chinese() {
    let run = run_with(&["watch", "--help"], &[ZH], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stderr, "");
    for expected in [
        "用法：",
        "选项：",
        "--endpoint <URL>",
        DEFAULT_ENDPOINT,
        "--device <N>",
        "REPLENISH_TOKEN",
        "--timeout <SECONDS>",
        "单位秒",
        "默认 90",
        "退出码：",
        "130  被 Ctrl-C（SIGINT）中断",
        "显示本帮助。",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected} in:\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("Options:"), "{}", run.stdout);
    assert!(!run.stdout.contains("[default"), "{}", run.stdout);
}

#[tokio::test]
async fn watch_help_in_english() {
    let run = run_with(&["watch", "--help"], &[EN], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    for expected in [
        "Usage:",
        "Options:",
        DEFAULT_ENDPOINT,
        "in seconds",
        "Default: 90",
        "Exit status:",
        "64   invalid command line",
        "Print this help.",
    ] {
        assert!(
            run.stdout.contains(expected),
            "{expected} in:\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("用法"), "{}", run.stdout);
}

#[tokio::test]
async fn top_help_follows_language_option() {
    let run = run_with(&["--help", "--language", "en"], &[ZH], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stdout.contains("Commands:"), "{}", run.stdout);
    let command_line = |name: &str| {
        run.stdout
            .lines()
            .find(|line| line.trim_start().starts_with(name))
            .map(|line| line.trim_start()[name.len()..].trim().to_owned())
    };
    assert_eq!(
        command_line("watch ").as_deref(),
        Some("Run one replenishment session and print each event as it happens."),
        "{}",
        run.stdout
    );
    assert_eq!(
        command_line("records ").as_deref(),
        Some("List or export the replenishment sessions stored on this PC by the app and by replenish watch."),
        "{}",
        run.stdout
    );

    let chinese = run_with(&["-h"], &[ZH], None).await;
    assert!(chinese.stdout.contains("命令："), "{}", chinese.stdout);
}

// ---- Usage errors ----

#[tokio::test]
async fn missing_token_exits_64() {
    let run = run_with(
        &["watch", "--endpoint", "ws://127.0.0.1:9/x", "--device", "1"],
        &[ZH],
        None,
    )
    .await;

    assert_eq!(run.code, Some(64), "{run:?}");
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("错误：缺少 token"), "{}", run.stderr);
    assert!(
        run.stderr.contains("replenish watch --help"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn invalid_fields_exit_64() {
    let args = [
        "watch",
        "--endpoint",
        "http://127.0.0.1:9/x",
        "--device",
        "18x",
        "--token",
        "a b",
        "--timeout",
        "0",
    ];

    let run = run_with(&args, &[EN], None).await;

    assert_eq!(run.code, Some(64), "{run:?}");
    assert_eq!(run.stdout, "");
    for expected in [
        "error: --endpoint: The address must start with ws:// or wss://, not http.",
        "error: --device: The device number must contain only digits, at most 18.",
        "error: --token: The token contains spaces or control characters.",
        "error: --timeout must be a whole number of seconds, at least 1, not “0”.",
    ] {
        assert!(
            run.stderr.contains(expected),
            "{expected} in:\n{}",
            run.stderr
        );
    }
}

#[tokio::test]
async fn clap_errors_exit_64() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["watch", "--token", "t"],
            "The option --device <N> is required.",
        ),
        (
            &["watch", "--device", "1", "--colour"],
            "Unknown argument --colour.",
        ),
        (&["watch", "--device"], "needs a value"),
        (&["wach"], "Unknown command wach."),
        (&[], "No command given."),
    ];

    for (args, expected) in cases {
        let run = run_with(args, &[EN], None).await;

        assert_eq!(run.code, Some(64), "{args:?}: {run:?}");
        assert!(run.stderr.contains(expected), "{args:?}: {}", run.stderr);
    }
}

#[tokio::test]
async fn unsupported_language_exits_64() {
    let run = run_with(
        &["watch", "--device", "1", "--token", "t", "--language", "fr"],
        &[EN],
        None,
    )
    .await;

    assert_eq!(run.code, Some(64), "{run:?}");
    assert!(
        run.stderr.contains("“fr” is not supported"),
        "{}",
        run.stderr
    );
}

// ---- The token ----

#[tokio::test]
async fn token_from_environment() {
    let sim = start_short(Scenario::Empty).await;
    let mut args = watch_args(&sim);
    args.push("--json".into());

    let run = run_with(&args, &[("REPLENISH_TOKEN", DEFAULT_TOKEN)], None).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.event_names().last().unwrap(), "closed");
    sim.shutdown().await;
}

#[tokio::test]
async fn token_from_stdin() {
    let sim = start_short(Scenario::Empty).await;
    let mut args = watch_args(&sim);
    args.extend(["--token".into(), "-".into(), "--json".into()]);
    let stdin = format!("  {DEFAULT_TOKEN}  \nsecond line\n");

    // The option wins over the environment, so the wrong token there is not used.
    let run = run_with(&args, &[("REPLENISH_TOKEN", "wrong-token")], Some(&stdin)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stderr, "", "no prompt when stdin is a pipe");
    sim.shutdown().await;
}

#[tokio::test]
async fn empty_stdin_token_exits_64() {
    let run = run_with(
        &["watch", "--device", "1", "--token", "-"],
        &[EN],
        Some("\n"),
    )
    .await;

    assert_eq!(run.code, Some(64), "{run:?}");
    assert!(
        run.stderr
            .contains("the first line of standard input is empty"),
        "{}",
        run.stderr
    );
}

/// Returns the forms of `token` that must never be printed: raw, percent-encoded with upper and
/// lower hex digits, and form-encoded.
fn leaked_forms(token: &str) -> Vec<String> {
    let mut upper = String::new();
    let mut form = String::new();
    for byte in token.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                upper.push(byte as char);
                form.push(byte as char);
            }
            b' ' => {
                upper.push_str("%20");
                form.push('+');
            }
            _ => {
                upper.push_str(&format!("%{byte:02X}"));
                form.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    let lower = upper.clone().to_lowercase();
    vec![token.to_owned(), upper, lower, form]
}

fn assert_no_token(run: &Run, token: &str) {
    for form in leaked_forms(token) {
        assert!(
            !run.stdout.contains(&form),
            "{form} in stdout:\n{}",
            run.stdout
        );
        assert!(
            !run.stderr.contains(&form),
            "{form} in stderr:\n{}",
            run.stderr
        );
    }
}

#[tokio::test]
async fn token_never_printed() {
    let config = short_config(Scenario::MalformedFrames).with_token(SPECIAL_TOKEN);
    let sim = start_sim(config).await;
    let mut args = watch_args(&sim);
    args.extend(["--token".into(), SPECIAL_TOKEN.into()]);

    // Every case logs on stderr, the second at the most detailed level.
    let cases: [(&[&str], Env); 3] = [
        (&["--json", "--verbose"], &[]),
        (&["--json"], &[("RUST_LOG", "trace")]),
        (&["--verbose"], &[EN]),
    ];
    for (index, (extra, env)) in cases.into_iter().enumerate() {
        let mut args = args.clone();
        args.extend(extra.iter().map(|arg| arg.to_string()));

        let run = run_with(&args, env, None).await;

        assert_eq!(run.code, Some(0), "{extra:?}: {run:?}");
        assert!(!run.stderr.is_empty(), "{extra:?}: no logs on stderr");
        assert_no_token(&run, SPECIAL_TOKEN);
        if extra.contains(&"--json") {
            let endpoint = &run.event("connecting")["endpoint"];
            assert!(
                endpoint.as_str().unwrap().ends_with("&token=tok+…CDEF"),
                "{endpoint}"
            );
        }
        assert_eq!(client_close_code(&sim, index).await, Some(1000));
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn rejected_token_never_printed() {
    let sim = start_short(Scenario::ThreeDrinks).await;
    let mut args = watch_args(&sim);
    args.extend(["--token".into(), "-".into(), "--verbose".into()]);
    let stdin = format!("{SPECIAL_TOKEN}\n");

    let run = run_with(&args, &[("RUST_LOG", "trace")], Some(&stdin)).await;

    assert_eq!(run.code, Some(4), "{run:?}");
    assert_no_token(&run, SPECIAL_TOKEN);
    sim.shutdown().await;
}

#[tokio::test]
async fn quiet_without_verbose() {
    let sim = start_short(Scenario::Empty).await;

    let run = run(&watch_json(&sim)).await;

    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stderr, "", "logs are off without --verbose or RUST_LOG");
    sim.shutdown().await;
}
