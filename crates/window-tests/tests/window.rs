//! The real app window, driven through tauri-driver and WebKitWebDriver against cabinet-sim.
//!
//! Each test launches the built app with its own data folder, so tests share no settings, and
//! saves screenshots under `target/e2e-screenshots/`.

mod support;

use std::time::Duration;

use anyhow::Result;
use cabinet_sim::{Scenario, SimConfig};
use support::{session_args, start_sim, start_sim_with, Window};

/// The three drinks of the contract's example, as a person reads them off the cards.
struct Drink {
    name: &'static str,
    aisle: &'static str,
    added: &'static str,
    stock: &'static str,
    sale_price: &'static str,
    cost_price: &'static str,
    sale_value: &'static str,
    cost_value: &'static str,
}

const DRINKS: [(&str, Drink); 3] = [
    (
        "1",
        Drink {
            name: "阿莎姆奶茶",
            aisle: "101",
            added: "13",
            stock: "41",
            sale_price: "¥6.50",
            cost_price: "¥3.10",
            sale_value: "¥84.50",
            cost_value: "¥40.30",
        },
    ),
    (
        "1",
        Drink {
            name: "可口可乐",
            aisle: "102",
            added: "8",
            stock: "29",
            sale_price: "¥5.00",
            cost_price: "¥2.20",
            sale_value: "¥40.00",
            cost_value: "¥17.60",
        },
    ),
    (
        "2",
        Drink {
            name: "脉动",
            aisle: "202",
            added: "9",
            stock: "33",
            sale_price: "¥6.00",
            cost_price: "¥2.90",
            sale_value: "¥54.00",
            cost_value: "¥26.10",
        },
    ),
];

#[tokio::test(flavor = "multi_thread")]
async fn three_drinks_session_end_to_end() -> Result<()> {
    let sim = start_sim(Scenario::ThreeDrinks).await;
    let window = Window::launch("three-drinks", &session_args(&sim)).await?;
    let window_data_dir = window.data_dir_handle();

    let phases = window.follow_phases_until("door_open").await?;
    window.screenshot("door-open").await?;
    let mut later = window.follow_phases_until("finished").await?;
    let mut all = phases.clone();
    all.append(&mut later);
    let order = ["connecting", "waiting_for_door", "door_open", "finished"];
    let positions: Vec<usize> = all
        .iter()
        .map(|phase| order.iter().position(|known| known == phase).unwrap_or(99))
        .collect();
    assert!(
        positions.windows(2).all(|pair| pair[0] <= pair[1]),
        "phases out of order: {all:?}"
    );
    assert!(
        all.contains(&"door_open".to_owned()),
        "door_open never shown: {all:?}"
    );
    assert!(
        all.contains(&"waiting_for_door".to_owned()) || all.contains(&"connecting".to_owned()),
        "no phase before the door opened: {all:?}"
    );

    window.wait_for_element(".card").await?;
    assert_eq!(
        window.attr_of("#final", "data-record-id").await?.as_deref(),
        Some("33116")
    );
    assert_eq!(window.find_all(".cabinet").await?.len(), 2);
    assert_eq!(window.find_all(".card").await?.len(), 3);

    for (index, (cabinet, drink)) in DRINKS.iter().enumerate() {
        let card = format!(
            ".cabinet[data-cabinet-no=\"{cabinet}\"] .card:nth-of-type({})",
            if index == 1 { 2 } else { 1 }
        );
        let text = |part: &str| format!("{card} {part}");
        assert_eq!(
            window.text_of(&text(".card-name")).await?.as_deref(),
            Some(drink.name),
            "{card}"
        );
        assert!(
            window
                .text_of(&text(".card-category"))
                .await?
                .unwrap_or_default()
                .contains("饮料"),
            "{card} category"
        );
        assert!(
            window
                .text_of(&text(".card-aisle"))
                .await?
                .unwrap_or_default()
                .contains(drink.aisle),
            "{card} aisle"
        );
        assert!(
            window
                .text_of(&text(".card-added"))
                .await?
                .unwrap_or_default()
                .contains(drink.added),
            "{card} added"
        );
        assert!(
            window
                .text_of(&text(".card-removed"))
                .await?
                .unwrap_or_default()
                .contains('0'),
            "{card} removed"
        );
        assert!(
            window
                .text_of(&text(".card-stock"))
                .await?
                .unwrap_or_default()
                .contains(drink.stock),
            "{card} stock"
        );
        let sale_price = window
            .text_of(&text(".card-sale-price"))
            .await?
            .unwrap_or_default();
        assert!(
            sale_price.contains(drink.sale_price),
            "{card} sale price {sale_price}"
        );
        assert!(sale_price.contains("元/件"), "{card} unit {sale_price}");
        assert!(
            window
                .text_of(&text(".card-cost-price"))
                .await?
                .unwrap_or_default()
                .contains(drink.cost_price),
            "{card} cost price"
        );
        assert!(
            window
                .text_of(&text(".card-sale-value"))
                .await?
                .unwrap_or_default()
                .contains(drink.sale_value),
            "{card} sale value"
        );
        assert!(
            window
                .text_of(&text(".card-cost-value"))
                .await?
                .unwrap_or_default()
                .contains(drink.cost_value),
            "{card} cost value"
        );
        assert!(
            window
                .is_visible(&text(".card-added-first"))
                .await
                .map(|shown| !shown)?,
            "{card} shows a first count that equals the settled one"
        );
    }

    // Record totals: 30 pieces; sale 84.50 + 40.00 + 54.00; cost 40.30 + 17.60 + 26.10.
    assert!(window
        .text_of("#record-totals .totals-added")
        .await?
        .unwrap_or_default()
        .contains("30"));
    assert!(window
        .text_of("#record-totals .totals-sale-value")
        .await?
        .unwrap_or_default()
        .contains("¥178.50"));
    assert!(window
        .text_of("#record-totals .totals-cost-value")
        .await?
        .unwrap_or_default()
        .contains("¥84.00"));
    assert!(window
        .text_of(".cabinet[data-cabinet-no=\"1\"] .totals-sale-value")
        .await?
        .unwrap_or_default()
        .contains("¥124.50"));
    assert!(window
        .text_of(".cabinet[data-cabinet-no=\"2\"] .totals-cost-value")
        .await?
        .unwrap_or_default()
        .contains("¥26.10"));

    window
        .wait_until("all three pictures decoded", || async {
            let loaded = window
                .eval("return [...document.querySelectorAll('img.card-image')].filter(i => i.complete && i.naturalWidth > 0 && i.dataset.imageState === 'loaded').length")
                .await?;
            Ok(loaded.as_u64() == Some(3))
        })
        .await?;
    window.screenshot("final").await?;

    let report = sim
        .wait_for_client_close(0, Duration::from_secs(5))
        .await
        .expect("connection report");
    assert_eq!(report.client_close_code, Some(1000));
    window.close().await?;

    // The app wrote its log and settings into the test's data folder; neither may hold the token.
    let token = SimConfig::default().token;
    let files = support::files_under(window_data_dir.path());
    assert!(
        files
            .iter()
            .any(|path| path.to_string_lossy().contains("replenish-desk.log")),
        "no log file in {files:?}"
    );
    for path in files {
        let content = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
        assert!(
            !content.contains(&token),
            "token found in {}",
            path.display()
        );
    }

    // The session and its final list are in the record store, and its journal is gone.
    let records = window_data_dir.path().join("records");
    let store = record_store::RecordStore::open(&records)?;
    let sessions = store.list_sessions(&record_store::Filter::default())?;
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0].outcome, record_store::Outcome::Final);
    assert_eq!(sessions[0].record_id, Some(33116));
    assert_eq!(sessions[0].close_code, Some(1000));
    assert_eq!(sessions[0].totals.line_count, 3);
    assert_eq!(sessions[0].totals.sale_value.to_string(), "178.50");
    let journal = record_store::Journal::open(&records)?;
    assert_eq!(journal.sessions()?, Vec::new(), "journal left behind");
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn start_form_validates_then_connects() -> Result<()> {
    let sim = start_sim(Scenario::ThreeDrinks).await;
    let window = Window::launch("start-form", &[]).await?;
    window.wait_for_element("#start-form").await?;

    window.click("#connect").await?;
    window.wait_for_element("#error-device-no").await?;
    assert!(!window
        .text_of("#error-device-no")
        .await?
        .unwrap_or_default()
        .is_empty());
    assert!(!window
        .text_of("#error-token")
        .await?
        .unwrap_or_default()
        .is_empty());
    window.screenshot("empty-form").await?;

    window
        .find("#endpoint-preset")
        .await?
        .select_by_value("custom")
        .await?;
    window
        .type_into("#endpoint-custom", "http://127.0.0.1:1/x")
        .await?;
    window.type_into("#device-no", "12a").await?;
    window.type_into("#token", "has space").await?;
    window.click("#connect").await?;
    window
        .wait_until("endpoint error", || async {
            Ok(!window
                .text_of("#error-endpoint")
                .await?
                .unwrap_or_default()
                .is_empty())
        })
        .await?;
    assert!(!window
        .text_of("#error-device-no")
        .await?
        .unwrap_or_default()
        .is_empty());
    assert!(!window
        .text_of("#error-token")
        .await?
        .unwrap_or_default()
        .is_empty());
    window.screenshot("invalid-form").await?;

    let defaults = SimConfig::default();
    window
        .type_into("#endpoint-custom", &sim.ws_endpoint())
        .await?;
    window
        .type_into("#device-no", &defaults.device_no.to_string())
        .await?;
    window.type_into("#token", &defaults.token).await?;
    window.type_into("#device-name", "一号店").await?;
    window.click("#connect").await?;
    window.follow_phases_until("finished").await?;
    window.wait_for_element(".card").await?;
    assert_eq!(window.find_all(".card").await?.len(), 3);
    window.screenshot("connected").await?;

    // The token is masked in the input and never shown as text anywhere on the page.
    let body = window.eval("return document.body.innerText").await?;
    assert!(
        !body.as_str().unwrap_or_default().contains(&defaults.token),
        "token shown on the page"
    );

    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_show_server_message() -> Result<()> {
    let cases = [
        (Scenario::DoorFailed, "door_failed", "网络不畅,请稍后再试"),
        (Scenario::FailureOperationFailed, "failed", "操作失败"),
        (Scenario::FailureSomeoneShopping, "failed", "有人正在购物"),
        (
            Scenario::FailureAlreadyReplenishing,
            "failed",
            "该设备已处于补货状态",
        ),
    ];
    for (scenario, phase, message) in cases {
        let sim = start_sim(scenario).await;
        let window =
            Window::launch(&format!("failure-{}", scenario.name()), &session_args(&sim)).await?;
        window.follow_phases_until(phase).await?;

        assert_eq!(
            window.attr_of("#banner", "data-tone").await?.as_deref(),
            Some("error"),
            "{scenario:?}"
        );
        assert_eq!(
            window.text_of("#banner-server-message").await?.as_deref(),
            Some(message),
            "{scenario:?}"
        );
        assert!(
            !window
                .text_of("#banner-next-step")
                .await?
                .unwrap_or_default()
                .is_empty(),
            "{scenario:?} has no next step"
        );
        assert!(
            window.is_visible("#new-session").await?,
            "{scenario:?} offers no new session"
        );
        assert!(
            !window.is_visible("#cancel").await?,
            "{scenario:?} still offers cancel"
        );
        window.screenshot("banner").await?;

        // A new session starts from the same server and device, with the token cleared.
        window.click("#new-session").await?;
        window.wait_for_element("#start-form").await?;
        let endpoint = window
            .eval("return document.querySelector('#endpoint-custom').value")
            .await?;
        let preset = window
            .eval("return document.querySelector('#endpoint-preset').value")
            .await?;
        assert_eq!(
            preset.as_str(),
            Some("custom"),
            "{scenario:?} fell back to the preset"
        );
        assert_eq!(
            endpoint.as_str(),
            Some(sim.ws_endpoint().as_str()),
            "{scenario:?}"
        );
        let device = window
            .eval("return document.querySelector('#device-no').value")
            .await?;
        assert_eq!(device.as_str(), Some("181200005"), "{scenario:?}");
        let token = window
            .eval("return document.querySelector('#token').value")
            .await?;
        assert_eq!(token.as_str(), Some(""), "{scenario:?} kept the token");

        let report = sim
            .wait_for_client_close(0, Duration::from_secs(5))
            .await
            .expect("connection report");
        assert_eq!(report.client_close_code, Some(1000), "{scenario:?}");
        window.close().await?;
        sim.shutdown().await;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_list_shows_empty_state() -> Result<()> {
    let sim = start_sim(Scenario::Empty).await;
    let window = Window::launch("empty", &session_args(&sim)).await?;
    window.follow_phases_until("finished").await?;
    window.wait_for_element("#empty-final").await?;
    assert!(!window
        .text_of("#empty-final")
        .await?
        .unwrap_or_default()
        .is_empty());
    assert_eq!(window.find_all(".card").await?.len(), 0);
    window.screenshot("final").await?;
    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn html_in_names_shown_literally() -> Result<()> {
    let sim = start_sim(Scenario::HtmlName).await;
    let window = Window::launch("html-name", &session_args(&sim)).await?;
    window.follow_phases_until("finished").await?;
    window.wait_for_element(".card").await?;

    let names = window
        .eval("return [...document.querySelectorAll('.card-name')].map(e => e.textContent)")
        .await?;
    let names: Vec<String> = serde_json::from_value(names)?;
    assert!(
        names
            .iter()
            .any(|name| name == "<img src=x onerror=alert(1)><b>奶茶</b>"),
        "{names:?}"
    );
    let injected = window.eval("return document.querySelectorAll('.card-name *, .card-category *, #final script').length").await?;
    assert_eq!(injected.as_u64(), Some(0), "server text became elements");
    let categories = window
        .eval("return [...document.querySelectorAll('.card-category')].map(e => e.textContent)")
        .await?;
    assert!(
        categories.to_string().contains("<script>x</script>"),
        "{categories}"
    );
    window.screenshot("final").await?;
    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn large_list_fully_rendered() -> Result<()> {
    let sim = start_sim(Scenario::Large).await;
    let window = Window::launch("large", &session_args(&sim)).await?;
    window.follow_phases_until("finished").await?;
    window
        .wait_until("600 cards", || async {
            Ok(window.find_all(".card").await?.len() == 600)
        })
        .await?;
    assert_eq!(window.find_all(".cabinet").await?.len(), 6);
    assert_eq!(
        window.attr_of("#final", "data-record-id").await?.as_deref(),
        Some("900000000000000001")
    );
    window.screenshot("final").await?;
    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn broken_pictures_get_placeholder() -> Result<()> {
    let sim = start_sim_with(SimConfig {
        scenario: Scenario::BrokenImages,
        door_delay: Duration::from_millis(300),
        door_open_for: Duration::from_millis(500),
        ..SimConfig::default()
    })
    .await;
    let window = Window::launch("broken-images", &session_args(&sim)).await?;
    window.follow_phases_until("finished").await?;
    window.wait_for_element(".card").await?;

    // The picture that trickles in over 20 s may finish or time out, so it is left out. Every
    // other card settles on the decoded picture or on the placeholder.
    let states_script = "return Object.fromEntries([...document.querySelectorAll('.card')].map(c => \
        [c.querySelector('.card-name').textContent, c.querySelector('img.card-image')?.dataset.imageState ?? 'none']))";
    window
        .wait_until("every picture but the slow one settled", || async {
            let states: std::collections::BTreeMap<String, String> =
                serde_json::from_value(window.eval(states_script).await?)?;
            Ok(states
                .iter()
                .filter(|(name, _)| !name.contains("很慢"))
                .all(|(_, state)| state == "loaded" || state == "placeholder"))
        })
        .await?;

    let states: std::collections::BTreeMap<String, String> =
        serde_json::from_value(window.eval(states_script).await?)?;
    assert_eq!(states.len(), 8, "{states:?}");
    for (name, state) in &states {
        if name.contains("很慢") {
            continue;
        }
        let expected = if name.contains("图片正常") {
            "loaded"
        } else {
            "placeholder"
        };
        assert_eq!(state, expected, "picture state of {name}");
    }
    let decoded = window
        .eval("return [...document.querySelectorAll('img.card-image[data-image-state=\"loaded\"]')].every(i => i.naturalWidth > 0)")
        .await?;
    assert_eq!(
        decoded.as_bool(),
        Some(true),
        "a loaded picture has no pixels"
    );
    window.screenshot("final").await?;
    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn language_switch_to_english() -> Result<()> {
    let sim = start_sim(Scenario::ThreeDrinks).await;
    let window = Window::launch("language", &session_args(&sim)).await?;
    window.follow_phases_until("finished").await?;
    window.wait_for_element(".card").await?;
    let chinese = window.text_of("#banner-title").await?.unwrap_or_default();

    window
        .find("#language")
        .await?
        .select_by_value("en")
        .await?;
    window
        .wait_until("English banner", || async {
            Ok(window.attr_of("html", "lang").await?.as_deref() == Some("en"))
        })
        .await?;
    let english = window.text_of("#banner-title").await?.unwrap_or_default();
    assert_ne!(chinese, english);
    assert!(
        english.is_ascii(),
        "banner still has Chinese text: {english}"
    );
    let unit = window
        .text_of(".card-sale-price")
        .await?
        .unwrap_or_default();
    assert!(!unit.contains("元/件"), "unit not translated: {unit}");
    window.screenshot("english").await?;
    window.close().await?;
    sim.shutdown().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_command_line_shown_on_form() -> Result<()> {
    let args: Vec<String> = [
        "--endpoint",
        "http://127.0.0.1:9/x",
        "--device",
        "12ab",
        "--token",
        "tok",
    ]
    .map(str::to_owned)
    .to_vec();
    let window = Window::launch("invalid-command-line", &args).await?;
    window.wait_for_element("#start-form").await?;
    window
        .wait_until("field errors", || async {
            Ok(!window
                .text_of("#error-device-no")
                .await?
                .unwrap_or_default()
                .is_empty())
        })
        .await?;

    assert!(!window
        .text_of("#error-endpoint")
        .await?
        .unwrap_or_default()
        .is_empty());
    let endpoint = window
        .eval("return document.querySelector('#endpoint-custom').value")
        .await?;
    assert_eq!(endpoint.as_str(), Some("http://127.0.0.1:9/x"));
    let device = window
        .eval("return document.querySelector('#device-no').value")
        .await?;
    assert_eq!(device.as_str(), Some("12ab"));
    window.screenshot("form").await?;
    window.close().await?;
    Ok(())
}
