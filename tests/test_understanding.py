"""What is asked, about what: aspects, long messages, honest follow-ups and picks by words.

Each test is a behaviour a user meets: the aspect asked reaches the fact of that aspect, a story
ending in a question is answered, an unrelated follow-up never gets the last subject's answer.
"""

from __future__ import annotations

import pytest

from myoqa import Conversation, KnowledgeBase
from myoqa.analysis import asks, focus, split_sentences
from myoqa.conversation import pick_number
from myoqa.models import Fact
from myoqa.text import stem


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("What usually triggers myositis ossificans?", "mo-causes"),
        ("What exactly is heterotopic ossification?", "ho-definition"),
        ("can my kid with fop get the flu jab", "fop-injections-vaccines"),
        ("indomethacin", "ho-nsaids"),
    ],
)
def test_the_aspect_asked_reaches_its_fact(kb: KnowledgeBase, question: str, fact_id: str) -> None:
    assert kb.answer(question).fact_id == fact_id


def test_aspects_are_read_from_cues(kb: KnowledgeBase) -> None:
    assert kb.analyze("what sets it off, what triggers it").aspects[0] == "causes"
    assert kb.analyze("will it go away by itself").aspects == ("outlook",)
    assert "diagnosis" in kb.analyze("what tests will the doctor do").aspects
    # "what is" only counts when nothing more specific is asked
    assert kb.analyze("what is the treatment for FOP").aspects == ("treatment",)


def test_every_shipped_fact_declares_an_aspect(kb: KnowledgeBase) -> None:
    missing = [f.id for f in kb.facts if not f.aspect]
    assert len(missing) <= len(kb.facts) // 10, missing


def test_a_plain_faq_gets_aspects_from_its_questions() -> None:
    faq = {
        "flu-causes": ("What causes flu?", "A virus causes flu; it spreads by coughs and sneezes."),
        "flu-treatment": ("How is flu treated?", "Rest, fluids and paracetamol treat flu in most people."),
        "measles-causes": ("What causes measles?", "The measles virus causes measles, spread in the air."),
        "measles-treatment": ("How is measles treated?", "Rest and fluids; there is no specific medicine."),
        "mumps-causes": ("What causes mumps?", "The mumps virus causes mumps, spread by saliva."),
    }
    facts = [Fact(id=i, question=q, answer=a) for i, (q, a) in faq.items()]
    kb = KnowledgeBase.from_facts(facts)
    assert kb.fact_aspects(facts[0]) == ("causes",)
    assert kb.answer("what triggers flu").fact_id == "flu-causes"
    assert kb.answer("best remedy for measles").fact_id == "measles-treatment"


def test_a_story_is_read_for_its_question() -> None:
    message = (
        "I'm 34 and came off my bike last month. There was a big bruise on my thigh. "
        "Now it is rock hard. Could this be bone growing in the muscle?"
    )
    parts, story = focus(message)
    assert story
    asking = [s for s, asks in parts if asks]
    assert asking == ["Could this be bone growing in the muscle?"]


def test_a_long_message_ending_in_a_question_is_answered(kb: KnowledgeBase) -> None:
    message = (
        "Hi all, long time lurker. My husband had his hip replaced in March and the surgeon "
        "now says he has heterotopic ossification on the X-ray, which explains why he still "
        "cannot bend the hip properly and walks like a robot. We are both retired teachers and "
        "he used to go walking every weekend. How is heterotopic ossification treated?"
    )
    reply = kb.answer(message)
    assert reply.found and reply.fact_id == "ho-treatment"


def test_the_question_at_the_end_of_a_very_long_story_is_not_cut_off(kb: KnowledgeBase) -> None:
    story = "We went to the clinic again and waited for a long time. " * 12
    reply = kb.answer(story + "What is calciphylaxis?")
    assert reply.fact_id == "ckd-calciphylaxis-definition"


@pytest.mark.parametrize(
    "hijack",
    [
        "how do i treat a sprained ankle",
        "what about my cat?",
        "what are the symptoms of diabetes",
        "how do i build bigger quads",
    ],
)
def test_an_unrelated_follow_up_is_not_answered_from_the_last_subject(kb: KnowledgeBase, hijack: str) -> None:
    chat = Conversation(kb)
    assert chat.ask("What is myositis ossificans?").found
    reply = chat.ask(hijack)
    assert not reply.found or reply.kind == "smalltalk", reply.fact_id


@pytest.mark.parametrize(
    ("follow_up", "fact_id"),
    [
        ("is it inherited?", "fop-inheritance"),
        ("how is it diagnosed", "fop-diagnosis"),
        ("what about the dentist", "fop-dental-care"),
    ],
)
def test_a_follow_up_that_names_nothing_keeps_the_subject(
    kb: KnowledgeBase, follow_up: str, fact_id: str
) -> None:
    chat = Conversation(kb)
    chat.ask("what is fop")
    assert chat.ask(follow_up).fact_id == fact_id


def test_a_follow_up_naming_a_new_subject_switches_to_it(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("how is myositis ossificans treated")
    assert chat.ask("what about calciphylaxis, how is that treated").fact_id == "ckd-calciphylaxis-treatment"


def test_a_cold_follow_up_asks_which_condition(kb: KnowledgeBase) -> None:
    reply = Conversation(kb).ask("how is it treated?")
    assert not reply.found
    assert "Which condition" in reply.text


@pytest.mark.parametrize("question", ["is it contagious?", "is it inherited", "does it go away"])
def test_a_cold_follow_up_whose_only_word_is_its_aspect_asks_which_condition(
    kb: KnowledgeBase, question: str
) -> None:
    # "contagious" is rare in the facts' questions, but it says what is asked, not about what.
    reply = Conversation(kb).ask(question)
    assert not reply.found and "Which condition" in reply.text


def test_after_an_unknown_subject_a_bare_follow_up_is_not_answered(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    chat.ask("what is myositis ossificans")
    assert not chat.ask("what about my cat?").found
    assert not chat.ask("is it contagious?").found  # the cat's, not myositis ossificans'


@pytest.mark.parametrize(
    ("story", "follow_up", "fact_id"),
    [
        # The subject of a story is the condition it names, not its kicks and lumps...
        (
            "my son got kicked in the thigh at soccer 6 weeks ago, now theres a hard lump, doc said maybe myositis ossificans??",
            "is it permanent?",
            "mo-go-away",
        ),
        # ...and a follow-up naming only what was said of that subject keeps it.
        (
            "my 15yo got kneed in the thigh at rugby 5 wks ago, theres a hard lump, gp thinks myositis ossificans",
            "ok and the lump, when can he play again",
            "mo-return-to-sport",
        ),
    ],
)
def test_a_story_gives_its_follow_ups_the_condition_it_names(
    kb: KnowledgeBase, story: str, follow_up: str, fact_id: str
) -> None:
    chat = Conversation(kb)
    chat.ask(story)
    assert chat.ask(follow_up).fact_id == fact_id


def test_an_urgent_sign_that_names_a_condition_makes_it_the_subject(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    first = chat.ask(
        "my son got kicked in the thigh 6 weeks ago and now theres a hard lump thats getting bigger, "
        "doc said maybe myositis ossificans"
    )
    assert first.kind == "urgent"
    assert chat.ask("is it permanent?").fact_id == "mo-go-away"


def test_the_condition_of_our_own_topic_is_the_subject_not_its_cause(kb: KnowledgeBase) -> None:
    # The story names a brain injury (the cause) and heterotopic ossification (our topic's
    # condition): the follow-up asks about the ossification, even after "did you mean".
    chat = Conversation(kb)
    chat.ask(
        "my 19 yr old son had a bad traumatic brain injury in a car crash and now they say bone is "
        "growing around his hip (HO)"
    )
    reply = chat.ask("is it painful?")
    assert reply.kind == "fact" and reply.fact_id is not None
    assert "pain" in reply.text.casefold()


def test_coming_back_after_an_off_topic_question_resumes_the_subject(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    assert chat.ask("the xray says calcific tendinitis in my shoulder").fact_id == "oc-calcific-tendinitis"
    assert not chat.ask("what time is it in tokyo").found
    back = chat.ask("ok sorry, how long does the shoulder pain last")
    assert back.found and (back.fact_id or "").startswith("oc-calcific-tendinitis")


def test_back_to_the_subject_asks_what_follows_the_comma(kb: KnowledgeBase) -> None:
    # "back to the thigh lump from the rugby hit" only points at the subject; the question is
    # "will it need surgery?", not the return-to-sport fact the rugby words would pick.
    chat = Conversation(kb)
    chat.ask(
        "took a massive hit to my thigh at rugby 6 weeks ago, the lump is rock hard, doc says myositis ossificans"
    )
    assert not chat.ask("btw whats the weather like this weekend?").found
    back = chat.ask("anyway back to the thigh lump from the rugby hit, will it need surgery?")
    assert back.fact_id == "mo-surgery"


@pytest.mark.parametrize(
    ("message", "sentences"),
    [
        (
            "anyway back to the lump, will it need surgery?",
            ["anyway back to the lump", "will it need surgery?"],
        ),
        ("sorry, back to mums hip - is it on the xray?", ["sorry, back to mums hip", "is it on the xray?"]),
        ("back to FOP: is it inherited?", ["back to FOP", "is it inherited?"]),
        ("I want to go back to work, is that ok?", ["I want to go back to work, is that ok?"]),
    ],
)
def test_a_clause_coming_back_to_a_subject_is_a_sentence_of_its_own(
    message: str, sentences: list[str]
) -> None:
    assert split_sentences(message) == sentences


@pytest.mark.parametrize(
    "sentence", ["isnt radiation dangerous", "doesnt it come back", "cant they just remove it"]
)
def test_negative_questions_ask(sentence: str) -> None:
    assert asks(sentence)


@pytest.mark.parametrize("sentence", ["cant bend my knee fully", "didnt think much of it", "wont go away"])
def test_sentences_without_a_subject_tell_a_story(sentence: str) -> None:
    assert not asks(sentence)


@pytest.mark.parametrize(
    ("reply", "number"),
    [("2", 2), ("2.", 2), ("#2", 2), ("number 2", 2), ("the first one", 1), ("second", 2), ("yes", 1)],
)
def test_picks_by_number_and_by_word(reply: str, number: int) -> None:
    assert pick_number(reply, 3) == number


@pytest.mark.parametrize("reply", ["²", "①", "what is 2", "the first symptoms of fop"])
def test_what_is_not_a_pick(reply: str) -> None:
    assert pick_number(reply, 3) is None


def test_the_first_one_picks_the_first_follow_up(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    first = chat.ask("What is myositis ossificans?").related[0]
    assert chat.ask("the first one").fact_id == first.id


def test_limit_never_changes_the_decision(kb: KnowledgeBase) -> None:
    for question in ["stiff elbow", "can my kid with fop get the flu jab", "calcium in legs", "what is fop"]:
        one, many = kb.answer(question, limit=1), kb.answer(question, limit=20)
        assert (one.kind, one.fact_id, one.confidence) == (many.kind, many.fact_id, many.confidence)


def test_the_tuning_command_fits_on_one_file_and_reports_on_another(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("tune_matcher", root / "scripts" / "tune_matcher.py")
    assert spec is not None and spec.loader is not None
    tune = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tune)
    data = root / "tests" / "data"
    import myoqa.matching

    shipped = myoqa.matching.ASPECT_MISS
    try:
        tune.main(
            ["--fit", str(data / "golden_c.jsonl"), "--report", str(data / "golden_b.jsonl"),
             "--grid", "matching.ASPECT_MISS=0.85,1.0"]
        )  # fmt: skip
    finally:
        myoqa.matching.ASPECT_MISS = shipped
    out = capsys.readouterr().out
    assert "report golden_b.jsonl" in out
    assert "best on the fit files: ASPECT_MISS=" in out


@pytest.mark.parametrize(("question", "kind"), [("what is MO", "fact"), ("what is myoqa", "smalltalk")])
def test_an_abbreviation_of_ours_is_not_small_talk(kb: KnowledgeBase, question: str, kind: str) -> None:
    assert kb.answer(question).kind == kind


def test_aspect_cues_refuse_terminal_escapes() -> None:
    from pydantic import ValidationError

    from myoqa.models import Aspect

    with pytest.raises(ValidationError):
        Aspect(id="causes", cues=("why\x1b[2J",))


def test_a_function_word_is_never_glued_to_a_typo(kb: KnowledgeBase) -> None:
    analysis = kb.analyze("what is the treatmnet for fibro dysplasia")
    assert (
        "fibrodysplasia ossificans progressiva" in analysis.stems or "fibrodysplasia" in analysis.normalized
    )
    assert all(" " in key and not key.startswith("the ") for key in analysis.corrections if " " in key)
    assert "treatmentfor" not in analysis.normalized and "thetreatment" not in analysis.normalized


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        # The cue "stop it" also reads "stop that" and "stop her"; "what can I do" reads "we".
        ("is there anything we can do to stop that with juvenile dermatomyositis", "prevention"),
        ("my daughter has FOP, how do we stop her getting more bone", "prevention"),
        ("what can we do for calcinosis in scleroderma", "treatment"),
    ],
)
def test_aspect_cues_read_any_pronoun(kb: KnowledgeBase, question: str, aspect: str) -> None:
    assert kb.analyze(question).aspects[0] == aspect


def test_a_relative_clause_says_whom_the_question_is_about_not_what_it_asks(kb: KnowledgeBase) -> None:
    # "someone who develops" describes the person; "who develops" as a question asks who gets it.
    assert kb.analyze("What's the outlook for someone who develops myositis ossificans?").aspects == (
        "outlook",
    )
    assert kb.analyze("who develops myositis ossificans").aspects[0] == "risk"


def test_a_question_word_alone_asks_for_no_definition(kb: KnowledgeBase) -> None:
    # "whats" stems to "what": as a cue it made every "what" question a definition question.
    assert "definition" not in kb.analyze("What should we be doing about FOP?").aspects
    assert kb.analyze("what is FOP").aspects == ("definition",)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("Which drugs are used to treat osteoporosis?", "no fact here is about"),
        (
            "My mum had a bone density scan and the GP wants her on alendronate. Is it safe long term?",
            "no fact here is about",
        ),
        (
            "My knees ache and the x-ray shows osteoarthritis. What painkiller can I take instead?",
            "no fact here is about",
        ),
        ("my dog has kidney failure, what should i feed him", "animal"),
        (
            "Our old labrador limps and the vet's x-ray showed calcification in his elbow. Which supplement helps?",
            "animal",
        ),
        ("does my cat's kidney disease mean she needs a special diet", "animal"),
    ],
)
def test_a_subject_no_fact_is_about_is_not_answered(kb: KnowledgeBase, message: str, reason: str) -> None:
    # A medical name none of our questions use, or somebody's animal, is what the message asks about.
    answer = kb.answer(message)
    assert not answer.found, answer.fact_id
    assert answer.why is not None and reason in answer.why.reason


@pytest.mark.parametrize(
    "message",
    [
        "my chest ct found a calcified nodule in the lung, should i worry",
        "what does calcification in the prostate mean",
        "are ridges and white marks on fingernails from low calcium",
        "i passed a kidney stone last week, what should i eat so i dont get more",
    ],
)
def test_calcification_of_another_organ_is_not_answered_with_a_muscle_fact(
    kb: KnowledgeBase, message: str
) -> None:
    # Calcification is our subject only in muscle and soft tissue: the organ named is the subject.
    answer = kb.answer(message)
    assert answer.kind != "fact", answer.fact_id
    organs = {stem(w) for w in ("lung", "prostate", "fingernails")} | {"kidney ston"}
    assert organs & set(kb.analyze(message).foreign_subjects)


def test_an_organ_one_of_our_conditions_reaches_is_still_answered(kb: KnowledgeBase) -> None:
    # FOP's chest wall and breathing are FOP's: naming the condition keeps the message ours.
    answer = kb.answer("can fibrodysplasia ossificans progressiva affect the lungs and breathing")
    assert answer.kind == "fact" and answer.topic is not None and "FOP" in answer.topic


def test_a_drug_named_beside_our_topic_does_not_block_the_answer(kb: KnowledgeBase) -> None:
    message = (
        "I was diagnosed with dermatomyositis 4 years ago and my muscles are better on methotrexate, "
        "but now I have hard lumps of calcinosis on my thighs. What treatments are there?"
    )
    answer = kb.answer(message)
    assert answer.found and answer.fact_id is not None
    assert kb.analyze(message).foreign_subjects == ()


def test_a_plain_faq_knows_the_conditions_its_questions_name() -> None:
    facts = [
        Fact(id="oa", question="What is osteoarthritis?", answer="Wear of the cartilage in a joint."),
        Fact(
            id="oa-pain", question="Which painkillers help osteoarthritis?", answer="Paracetamol and NSAIDs."
        ),
    ]
    kb = KnowledgeBase.from_facts(facts)
    assert kb.answer("my osteoarthritis hurts, which painkillers can I take").fact_id == "oa-pain"
    assert kb.analyze("is alendronate good for osteoarthritis").foreign_subjects == (stem("alendronate"),)


def test_a_story_naming_another_aspect_keeps_the_aspect_its_question_asks(kb: KnowledgeBase) -> None:
    # The story says "diagnosed" and "treatment"; the question asks about prevention.
    message = (
        "My daughter was diagnosed with juvenile dermatomyositis in the spring and her "
        "rheumatologist has started treatment. Is there any way to lower her chance of getting "
        "calcinosis later on?"
    )
    assert kb.analyze(message).aspects == ("prevention",)
    assert kb.answer(message).fact_id == "dm-prevention"


def test_an_animal_that_is_not_the_patient_does_not_block(kb: KnowledgeBase) -> None:
    # A dog bite, or a CAT scan, says nothing about whose question it is.
    assert (
        kb.analyze("a dog bit my thigh and now there is a hard lump, is it myositis ossificans").animals == ()
    )
    assert kb.analyze("my CAT scan showed calcium in my thigh muscle").animals == ()
    answer = kb.answer("my CAT scan showed calcium deposits in my thigh muscle, what does it mean")
    assert answer.found, answer.why


def test_a_follow_up_about_an_animal_does_not_keep_the_subject(kb: KnowledgeBase) -> None:
    chat = Conversation(kb)
    assert chat.ask("what is calciphylaxis").found
    assert not chat.ask("my dog has kidney failure, what should I feed him?").found


def test_a_word_derived_from_a_known_one_is_read_as_its_base(kb: KnowledgeBase) -> None:
    # "footballers" is not in the knowledge base; "football" is (a sport).
    analysis = kb.analyze("is myositis ossificans common in footballers?")
    assert analysis.corrections.get("footballers") == "football"
    assert kb.answer("is myositis ossificans common in footballers?").found
    # A base of four letters is not trusted: "liver" is not "live".
    assert "liver" not in kb.analyze("can calcium deposits form in the liver").corrections


def test_a_synonym_phrase_reads_its_plural_too(kb: KnowledgeBase) -> None:
    # "thigh contusion" is a variant of "thigh bruise"; so is "thigh contusions".
    assert "thigh bruise" in kb.analyze("what share of thigh contusions turn into myositis ossificans").stems


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("what's a realistic timeframe for myositis ossificans to go away", "mo-go-away"),
        ("my elbow wont straighten, could it be heterotopic ossification", "ho-elbow"),
    ],
)
def test_one_everyday_word_the_facts_never_use_does_not_outweigh_the_subject(
    kb: KnowledgeBase, question: str, fact_id: str
) -> None:
    assert kb.analyze(question).unknown  # the word is unknown, and the question still answered
    assert kb.answer(question).fact_id == fact_id


def test_a_word_only_the_answers_use_weighs_no_more_than_an_unknown_one(kb: KnowledgeBase) -> None:
    # "chocolate" is in some answer's prose but in no question: it is not what is asked about.
    analysis = kb.analyze("does eating chocolate help myositis ossificans go away")
    prose_only = analysis.weights["chocolat"]
    named = analysis.weights["myositis ossificans"]
    assert "chocolat" not in analysis.unknown and prose_only <= 1.25 * named


@pytest.mark.parametrize(
    "question", ["my elbow wont straighten, could it be gout", "could my stiff elbow be sarcoidosis"]
)
def test_an_unknown_medical_name_still_outweighs_it(kb: KnowledgeBase, question: str) -> None:
    assert not kb.answer(question).found


def test_a_fact_about_another_condition_does_not_answer_for_the_one_named(kb: KnowledgeBase) -> None:
    message = (
        "I play rugby and took a knee to the thigh in March. The physio says it has turned into "
        "myositis ossificans. How long before I can go back to contact sport?"
    )
    got = kb.answer(message)
    assert got.fact_id == "mo-return-to-sport"  # not FOP's "should children avoid contact sports"
    assert "myositis ossificans" in kb.get(got.fact_id).answer.lower()  # type: ignore[union-attr]


def test_a_state_and_its_adjective_meet(kb: KnowledgeBase) -> None:
    # "what if I'm pregnant" reaches the fact that speaks of pregnancy, not the drug fact that
    # happens to say "pregnant".
    assert stem("pregnancy") == stem("pregnant") and stem("malignancy") == stem("malignant")
    conversation = Conversation(kb)
    conversation.ask("I'm 27 with FOP, what are flare ups like and what sets them off?")
    assert conversation.ask("what if I'm pregnant? we are thinking about it").fact_id == "fop-pregnancy"


def test_a_story_does_not_answer_a_question_asked_in_words_no_fact_uses(kb: KnowledgeBase) -> None:
    message = (
        "had CREST for 15 years, raynauds and reflux are the worst of it. now a lump on my fingertip "
        "has split open and theres white toothpaste stuff coming out. should i squeeze it out myself?"
    )
    answer = kb.answer(message)
    assert answer.kind != "fact", answer.fact_id
    # ... while a question about the story itself keeps its answer.
    told = (
        "I'm 60 and have systemic sclerosis. My rheumatologist says the lumps on my elbows are "
        "calcinosis. I've cut out milk and cheese because I thought too much calcium caused it. Was that right?"
    )
    assert kb.answer(told).kind == "fact"


def test_a_time_word_before_a_time_noun_is_no_cue(kb: KnowledgeBase) -> None:
    # "last year" says when, not "how long does it last".
    assert "outlook" not in kb.analyze("my mum had her hip replaced last year, is that extra bone").aspects
    assert "outlook" in kb.analyze("how long does it last").aspects


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("does heterotopic ossification cause pain", "ho-symptoms"),
        ("can calciphylaxis cause death", "ckd-calciphylaxis-prognosis"),
        ("can myositis ossificans cause nerve damage", "mo-complications"),
        # ... while what brings one of ours about is still asked as its causes
        ("what causes myositis ossificans", "mo-causes"),
        ("why does dermatomyositis cause calcium deposits", "dm-causes"),
    ],
)
def test_what_a_condition_causes_is_not_what_causes_it(
    kb: KnowledgeBase, question: str, fact_id: str
) -> None:
    assert kb.answer(question).fact_id == fact_id


def test_a_follow_up_asks_about_what_it_adds_to_the_subject(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask("Had a hip replacement last year. The x-ray report mentions heterotopic ossification.")
    assert conversation.ask("it says class III, is that bad?").fact_id == "ho-brooker"


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("treatment for heterotopic ossification after brain injury", "ho-treatment"),
        ("how is heterotopic ossification after hip replacement prevented", "ho-prevention"),
        # a condition named in one word counts as well
        ("what causes calciphylaxis in dialysis patients", "ckd-calciphylaxis-risk-factors"),
    ],
)
def test_the_aspect_asked_of_a_condition_outweighs_the_setting_named_with_it(
    kb: KnowledgeBase, question: str, fact_id: str
) -> None:
    # The fact about HO after a brain injury (or a hip replacement) shares the setting's rare
    # words, but another fact of HO answers what is asked.
    assert kb.answer(question).fact_id == fact_id


def test_cues_are_read_as_the_synonyms_rewrite_them(kb: KnowledgeBase) -> None:
    # "signs" arrives as "symptoms"; "warning signs" still asks when to see a doctor.
    assert kb.analyze("what are the warning signs of calciphylaxis").aspects == ("when-to-see-doctor",)


def test_a_word_of_a_conditions_name_is_no_cue(kb: KnowledgeBase) -> None:
    # "progressive" in "progressive osseous heteroplasia" asks nothing about progression.
    assert kb.analyze("what is progressive osseous heteroplasia").aspects == ("definition",)
    assert "outlook" in kb.analyze("is it progressive").aspects


def test_a_kind_of_condition_introducing_an_example_is_no_cue(kb: KnowledgeBase) -> None:
    # "a genetic condition like FOP" says what kind of condition; "is FOP genetic" asks.
    assert "inheritance" not in kb.analyze("can a genetic condition like FOP turn muscle into bone").aspects
    assert "inheritance" in kb.analyze("is fop a genetic disease").aspects


def test_the_catch_of_a_medicine_is_its_drawback_not_contagion(kb: KnowledgeBase) -> None:
    assert kb.answer("is there a catch with sohonos for kids who are still growing").fact_id == (
        "fop-palovarotene-side-effects"
    )
    assert "contagion" in kb.analyze("can you catch myositis ossificans").aspects
    assert "contagion" in kb.analyze("is it catching").aspects


def test_an_inflection_of_a_known_word_is_not_repaired_into_another_word(kb: KnowledgeBase) -> None:
    # "massaging" is two edits from "managing" (a treatment synonym) but is "massage".
    analysis = kb.analyze("should i be massaging the lump in my quad to break it up")
    assert "massaging" not in analysis.corrections
    assert (
        kb.answer("should i be massaging the lump in my quad to break it up").fact_id
        == "mo-massage-stretching"
    )


def test_a_switch_asking_a_difference_compares_with_the_last_subject(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask("Does FOP show up on a normal x-ray before the bone forms?")
    answer = conversation.ask("and myositis ossificans, is that related, or a totally different thing?")
    assert answer.fact_id == "mo-vs-fop"
    # ... and the subject is now myositis ossificans
    assert conversation.ask("how is it treated?").fact_id == "mo-treatment"


def test_a_follow_up_pointing_back_keeps_the_subject_whatever_its_everyday_words(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask(
        "got kneed in the thigh at rugby, now a hard lump, physio reckons its myositis ossificans"
    )
    # "stuck" is a word some answer uses, yet the message asks whether *it* goes away.
    assert (
        conversation.ask("will it go away by itself or am i stuck with it for life").fact_id == "mo-go-away"
    )


def test_a_verb_in_ate_is_read_as_its_noun(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask("My nephew has FOP. His mum says he cant get normal jabs like the other kids.")
    assert (
        conversation.ask("so how is he supposed to get vaccinated then").fact_id == "fop-injections-vaccines"
    )


def test_coming_back_to_an_earlier_subject_by_name(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask("my daughter has FOP, she's 6. what usually triggers flare-ups?")
    conversation.ask("and what is calciphylaxis? a lady in the waiting room mentioned it")
    answer = conversation.ask(
        "ok back to my daughter - she needs a filling at the dentist, is that safe for her?"
    )
    assert answer.fact_id == "fop-dental-care"


def test_coming_back_to_the_first_question(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask("does being on dialysis cause calcium to build up in muscles and soft tissue?")
    conversation.ask("ok and separately, does myositis ossificans hurt?")
    answer = conversation.ask("going back to my first question - how do they prevent that?")
    # the prevention of calcium building up, not of myositis ossificans (the last subject)
    assert answer.fact_id == "prev-overview"


def test_a_reset_conversation_cannot_come_back_to_what_it_forgot(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask("my daughter has FOP, she's 6. what usually triggers flare-ups?")
    conversation.ask("and what is calciphylaxis?")
    conversation.reset()
    answer = conversation.ask(
        "ok back to my daughter - she needs a filling at the dentist, is that safe for her?"
    )
    assert answer.fact_id != "fop-dental-care"


def test_a_verb_forming_is_no_question_about_types(kb: KnowledgeBase) -> None:
    assert "types" not in kb.analyze("could extra bone be forming in his elbow?").aspects
    assert "types" in kb.analyze("what forms of calcinosis are there?").aspects


def test_coming_back_to_a_subject_by_its_abbreviation(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask("FOP life expectancy?")
    conversation.ask("and calcinosis in JDM - can it be prevented?")
    answer = conversation.ask("back to FOP, can a kid with it do PE at school?")
    assert answer.fact_id == "fop-school-sport"


def test_a_follow_up_that_only_sets_the_scene_keeps_the_question(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask("MO treatment")
    answer = conversation.ask("in the upper arm, brachialis, after an elbow dislocation in judo")
    fact = kb.get(answer.fact_id or "")
    assert fact is not None and fact.topic.startswith("Myositis ossificans")
    assert "treatment" in fact.aspect  # how MO is treated there, not where MO occurs
    # a setting followed by a question of its own is read on its own
    conversation = Conversation(kb)
    conversation.ask("I had a dead leg years ago and it turned into myositis ossificans.")
    asked = conversation.ask("after a hip replacement though? will the same happen?")
    assert asked.fact_id is None or not asked.fact_id.startswith("mo-sites")


def test_a_doubled_consonant_before_ing_or_ed_meets_the_plain_verb(kb: KnowledgeBase) -> None:
    assert stem("swimming") == stem("swim") and stem("stopped") == stem("stop")
    assert stem("calling") == stem("call")  # a doubled l stays
    # so "can my son with FOP swim" meets "can people with FOP go swimming"
    assert kb.answer("can my son with FOP swim in a pool").fact_id == "fop-school-sport"


def test_a_removal_is_not_self_harm(kb: KnowledgeBase) -> None:
    answer = kb.answer("can myositis ossificans come back after its been cut out")
    assert answer.kind != "urgent"
    assert kb.triage("I've been cutting again") is not None


def test_an_article_before_a_kind_asks_whether_it_is_one(kb: KnowledgeBase) -> None:
    assert kb.analyze("is bone growing in a muscle a kind of cancer").aspects == ("cancer",)
    assert "types" in kb.analyze("what kinds of calcinosis are there").aspects


def test_limescale_on_household_things_is_not_our_subject(kb: KnowledgeBase) -> None:
    assert not kb.answer("how do i get rid of calcium build up on my shower head and kettle").found
    assert kb.answer("calcium build up in my muscles, how do i get rid of it").found


def test_a_filler_word_does_not_break_a_cue(kb: KnowledgeBase) -> None:
    assert "treatment" in kb.analyze("ok so what do we actually do for it now").aspects
    assert "treatment" in kb.analyze("What can really be done about it?").aspects


def test_why_a_treatment_is_given_asks_what_it_is_for(kb: KnowledgeBase) -> None:
    aspects = kb.analyze("why was I given indomethacin after my hip replacement").aspects
    assert "causes" not in aspects and {"treatment", "prevention"} <= set(aspects)
    assert kb.answer("why do I need radiation before my hip operation").fact_id == "ho-radiation"
    assert "causes" in kb.analyze("why does myositis ossificans happen").aspects


def test_vitamin_d_named_in_a_story_stays_the_subject(kb: KnowledgeBase) -> None:
    conversation = Conversation(kb)
    conversation.ask(
        "I was taking 50,000 IU of vitamin D every day for a year, now my calcium is high and "
        "the doctor saw calcium deposits in soft tissue on a scan"
    )
    assert "vitamin" in " ".join(conversation.subject_terms())


def test_whether_myositis_ossificans_is_inherited_is_answered(kb: KnowledgeBase) -> None:
    answer = kb.answer("is myositis ossificans inherited")
    assert answer.fact_id == "mo-inherited" and "not inherited" in answer.text


def test_the_aspect_asked_of_a_condition_outweighs_its_setting(kb: KnowledgeBase) -> None:
    analysis = kb.analyze("what treatment is there for HO after spinal cord injury")
    alone = kb.analyze("spinal cord injury")
    assert analysis.weights["spinal cord injury"] < alone.weights["spinal cord injury"]
    # without a condition and a cue the setting is the subject and keeps its weight
    plain = kb.analyze("bone after spinal cord injury")
    assert plain.weights["spinal cord injury"] == alone.weights["spinal cord injury"]


def test_a_subject_named_inside_a_cue_reads_as_it(kb: KnowledgeBase) -> None:
    # "pass FOP on to my kids" is "pass it on": inheritance, and FOP stays the subject
    analysis = kb.analyze("could I pass FOP on to my kids")
    assert "inheritance" in analysis.aspects
    assert "fibrodysplasia ossificans progressiva" not in analysis.cue_stems
    assert kb.answer("could I pass FOP on to my kids").fact_id == "fop-inheritance"


def test_a_term_said_not_to_be_so_names_no_aspect(kb: KnowledgeBase) -> None:
    analysis = kb.analyze("it doesn't hurt him anymore, does he still need anything done about it?")
    assert analysis.aspects == ("treatment",)
    assert "diagnosis" in kb.analyze("why not biopsy heterotopic ossification").aspects
    assert "symptoms" in kb.analyze("my knee cant bend after myositis ossificans").aspects


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        ("the surgeon says there is extra bone round dad's hip, what does that mean for him?", "outlook"),
        ("for a flare like that do doctors use prednisone or ibuprofen?", "treatment"),
        ("radiation or indomethacin for HO prophylaxis, which is better?", "difference"),
    ],
)
def test_everyday_ways_of_asking_an_aspect(kb: KnowledgeBase, question: str, aspect: str) -> None:
    assert aspect in kb.analyze(question).aspects


def test_coming_back_is_decided_by_the_words_that_name_the_subject(kb: KnowledgeBase) -> None:
    # "the" was said of myositis ossificans too; "dialysis" only of calciphylaxis
    conversation = Conversation(kb)
    conversation.ask("my uncle is on dialysis and has calciphylaxis, what is it?")
    conversation.ask("what is the outlook for myositis ossificans")
    conversation.ask("and how is FOP inherited?")
    conversation.ask("ok back to the dialysis one - is it painful?")
    assert "calciphylaxis" in conversation.subject_terms()


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        # "work" as a verb asks whether a treatment works, not about a job ...
        ("does anything really work for the calcium lumps in my son's JDM", "dm-treatment"),
        ("what actually works for calcinosis in dermatomyositis", "dm-treatment"),
    ],
)
def test_what_works_asks_about_treatment(kb: KnowledgeBase, question: str, fact_id: str) -> None:
    assert kb.answer(question).fact_id == fact_id


def test_going_back_to_work_is_still_living_with_it(kb: KnowledgeBase) -> None:
    # ... while going back to work is still a question about living with it.
    assert "living-with" in kb.analyze("going back to work after heterotopic ossification surgery").aspects
