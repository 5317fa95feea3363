//! Property tests where rules combine: scoring, gates and moves over random inputs.

use crate::support::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Action {
    Problem(bool),
    Owner(OwnerRole, bool),
    ScoreAll(bool),
    Move(Stage, bool),
}

fn action() -> impl Strategy<Value = Action> {
    let role = prop::sample::select(OwnerRole::ALL.to_vec());
    let stage = prop::sample::select(Stage::ALL.to_vec());
    prop_oneof![
        any::<bool>().prop_map(Action::Problem),
        (role, any::<bool>()).prop_map(|(r, on)| Action::Owner(r, on)),
        any::<bool>().prop_map(Action::ScoreAll),
        (stage.clone(), any::<bool>()).prop_map(|(s, note)| Action::Move(s, note)),
        (stage, Just(true)).prop_map(|(s, note)| Action::Move(s, note)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever people do, a use case only ever moves as the move and gate rules say,
    /// and its timeline replays to the stage it is at.
    #[test]
    fn moves_follow_the_rules_and_the_timeline_replays_to_the_current_stage(actions in prop::collection::vec(action(), 1..40)) {
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let (_d, ctx) = fresh().await;
            let id = add(&ctx, "Property case").await.id;
            for a in actions {
                match a {
                    Action::Problem(on) => { set(&ctx, &id, "problem", if on { "A real problem" } else { "" }).await.unwrap(); }
                    Action::Owner(role, on) => {
                        let person = on.then(|| NewPerson { email: format!("{}@example.org", role.as_str()), name: None, business_unit: None });
                        use_case::set_owner(&ctx, SetOwner { id: id.clone(), role, person, expect_version: None }).await.unwrap();
                    }
                    Action::ScoreAll(on) => {
                        if on { score_all(&ctx, &id, 3, 3).await; } else {
                            use_case::set_score(&ctx, SetScore { id: id.clone(), criterion: "reach".into(), score: None, expect_version: None }).await.unwrap();
                        }
                    }
                    Action::Move(to, with_note) => {
                        let before = use_case::get(&ctx, &id).await.unwrap();
                        let option = stage_move::stage_options(&ctx, &id).await.unwrap().into_iter().find(|o| o.stage == to);
                        let result = move_to(&ctx, &id, to, with_note.then_some("because")).await;
                        match option {
                            None => prop_assert!(result.is_err(), "a move to the current stage is refused"),
                            Some(o) => {
                                let expected = o.allowed && (with_note || !o.needs_note);
                                prop_assert_eq!(result.is_ok(), expected, "{:?} from {:?}: {:?}", to, before.stage, result.err());
                                if o.kind.filter(|_| expected) == Some(portfolio::stage::MoveKind::Forward) {
                                    prop_assert_eq!(before.stage.rank().unwrap() + 1, to.rank().unwrap());
                                    prop_assert!(o.gate.iter().all(|g| g.met));
                                }
                            }
                        }
                    }
                }
            }
            let now = use_case::get(&ctx, &id).await.unwrap();
            let replayed = stage_move::timeline(&ctx, &id).await.unwrap().last()
                .map(|t| t.new.clone().unwrap().as_str().unwrap().to_owned())
                .unwrap_or_else(|| "idea".into());
            prop_assert_eq!(replayed, now.stage.as_str());
            Ok(())
        })?;
    }
}
