using Microsoft.Extensions.Logging;
using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Residents;
using Registry.Domain.Identity.Cards;
using Registry.Domain.Residents;

namespace Registry.Grains.Residents;

/// <summary>
/// The person's identity cards (issue 12). The citizen grain holds the open application and the current card, and every
/// step of the person's cards passes through it: one grain activation at a time decides for the person, so two
/// applications sent at once (to any silos) meet here, one after the other, and at most one card of the person is valid.
/// The card's own grain holds its state machine; this grain decides what the person allows (<see cref="CardApplications"/>)
/// and what the card will allow (<see cref="CardLifecycle"/>, on its copy), and every step is owed work, in the shape of the
/// counts a change owes its provinces (<c>CitizenGrain.Effects.cs</c>): the copy after the step, its history entry and the
/// step owed to the card are stored first (the intent, marked in the register of unfinished work), then the card is told,
/// then the step is done. A step cut short anywhere is finished by the next call to the person, their next activation or
/// the sweep of unfinished work, and told again it is a replay at its card, which knows its steps by operation id. The
/// card grain never calls back.
/// </summary>
public sealed partial class CitizenGrain
{
    /// <inheritdoc />
    public Task<CardOutcome> ApplyForCardAsync(ApplyForCard command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.ApplyForCardAsync(command), async () =>
        {
            if (State.Resident is not { } resident)
            {
                return NobodyHolds();
            }

            if (await CardReplayAsync(command.IdempotencyKey) is { } replay)
            {
                return replay;
            }

            if (CardApplications.RefusalFor(command, resident, State.Cards, Today) is { } refusal)
            {
                return new CardRefused(refusal);
            }

            if (command.ParentOrGuardian is { } applicant && await MissingLinksAsync([("parentOrGuardian", applicant)]) is { } missing)
            {
                return new CardRefused(missing);
            }

            return await OpenApplicationAsync(command.IdempotencyKey, command.Actor, command.Reason, resident);
        });
    }

    /// <inheritdoc />
    public Task<CardOutcome> ChangeCardAsync(ChangeCard command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.ChangeCardAsync(command), async () =>
        {
            if (State.Resident is not { } resident)
            {
                return NobodyHolds();
            }

            if (await CardReplayAsync(command.IdempotencyKey) is { } replay)
            {
                return replay;
            }

            var (card, refusal) = CardApplications.Locate(command, State.Cards);
            if (refusal is not null)
            {
                return new CardRefused(refusal);
            }

            var transition = new CardTransition(command.Step, command.IdempotencyKey, time.GetUtcNow(), command.Actor)
            {
                Reason = command.Reason,
                Printed = command.Step == CardStepKind.Production ? CardFaces.Print(resident) : null,
            };
            if (command.Step == CardStepKind.Issue)
            {
                var issuedOn = command.IssuedOn ?? Today;
                if (CardApplications.IssueDateError(issuedOn, resident.BirthDate, Today) is { } wrongDay)
                {
                    return new CardRefused(Refusal.Invalid("issuedOn", wrongDay));
                }

                transition = transition with { IssuedOn = issuedOn, ExpiresOn = CardExpiry.ExpiresOn(resident.BirthDate, issuedOn) };
            }

            return command.Step == CardStepKind.Issue ? await IssueAsync(card!, transition) : await StepAsync(card!, transition);
        });
    }

    /// <inheritdoc />
    public Task<CardOutcome> ImportCardAsync(ImportCard command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return AtCurrentNumberAsync(successor => successor.ImportCardAsync(command), async () =>
        {
            if (await CardReplayAsync(command.IdempotencyKey) is { } replay)
            {
                return replay;
            }

            var now = time.GetUtcNow();
            if (CardImports.RefusalFor(command, State.Resident, State.Cards, now) is { } refusal)
            {
                return new CardRefused(refusal);
            }

            // The number is the caller's, not allocated: one already another card's is refused at once. Two imports of one
            // number at once both get past this; the card grain creates the card of the first it is told, and the other's
            // step is refused there and taken back (TellOwedCardStepsAsync), which answers it as here.
            var resident = State.Resident!;
            if (await GrainFactory.IdentityCard(command.DocumentNumber).GetAsync() is { } taken && !CardImports.IsImportOf(taken, command, resident))
            {
                return new CardRefused(CardImports.NumberTaken(command.DocumentNumber));
            }

            var imported = CardImports.Imported(command, resident, now);
            var expiry = imported.ExpiresOn is { } expiresOn ? $"valid until {expiresOn:yyyy-MM-dd}" : "no expiry";
            var entry = CardEntry(command.IdempotencyKey, command.Actor, now, imported, null, $"imported (issued {imported.IssuedOn:yyyy-MM-dd}, {expiry})");
            return await RecordCardStepsAsync(State.Cards with { Current = imported }, [new OwedCardStep(imported, null, entry)]);
        });
    }

    /// <inheritdoc />
    public Task<bool> RecordCardExpiryAsync(DocumentNumber card) =>
        AtCurrentNumberAsync(successor => successor.RecordCardExpiryAsync(card), async () =>
        {
            // Decided on this grain's copy: it is the person's serialisation point, so a renewal issued a moment ago has
            // already replaced the card here, and the sweep's view of the read model, however stale, changes nothing.
            if (State.Resident is null || CardsDue.ExpiryToRecord(State.Cards, card, time.GetUtcNow()) is not { } expiry)
            {
                return false;
            }

            return await StepAsync(State.Cards.Current!, expiry) is CardChanged;
        });

    /// <inheritdoc />
    public Task<PersonCards?> GetCardsAsync() =>
        AtCurrentNumberAsync(successor => successor.GetCardsAsync(),
            () => Task.FromResult(State.Resident is null ? null : State.Cards), finishOwed: false);

    /// <inheritdoc />
    public async Task TakeOverCardsAsync(PersonCards cards, string idempotencyKey, Actor actor)
    {
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentNullException.ThrowIfNull(actor);
        if (State.Resident is not { } resident || State.SupersededBy is not null)
        {
            return;
        }

        if (State.Cards == PersonCards.None && cards != PersonCards.None)
        {
            await StoreAsync(State with { Cards = cards });
        }

        await OpenChangeOfDataAsync(resident, idempotencyKey, actor);
    }

    // A correction of full name, birth date or sex makes the data on the person's card stale (Law 26/2023 Art. 24(1)):
    // a change-of-data application is opened with it. A correction that moved the person to a new number hands the cards
    // over to it first, since the old number's grain only forwards from now on.
    private async Task<ChangeOutcome> AfterCorrectionAsync(AmendResident command, ChangeOutcome outcome)
    {
        if (outcome is not Changed || !command.Changes.Any(change => change.Field is ResidentFields.FullName or ResidentFields.BirthDate or ResidentFields.Sex))
        {
            return outcome;
        }

        var key = "change-of-data:" + command.IdempotencyKey;
        if (State.SupersededBy is { } successor)
        {
            await GrainFactory.Citizen(successor).TakeOverCardsAsync(State.Cards, key, command.Actor);
        }
        else
        {
            await OpenChangeOfDataAsync(State.Resident!, key, command.Actor);
        }

        return outcome;
    }

    private async Task OpenChangeOfDataAsync(ResidentRecord resident, string key, Actor actor)
    {
        // Only for a card in use, and once: an application already open will carry the corrected data when produced.
        if (State.Cards is { OpenApplication: null, Current.State: CardState.Issued } && (await EntriesOfAsync(key)).Length == 0)
        {
            await OpenApplicationAsync(key, actor, CardReason.ChangeOfData, resident);
        }
    }

    // Recording a death revokes the person's card and closes an open application (Law 26/2023 Art. 23: a dead person's
    // card is withdrawn), in the death's own write (ApplyAsync, RevocationsAtDeath). Run again after every answer that says
    // the death is recorded, a replay too, for a death stored before its revocations were part of its write.
    private async Task<ChangeOutcome> AfterDeathAsync(RecordDeath command, ChangeOutcome outcome)
    {
        if (outcome is not Changed)
        {
            return outcome;
        }

        foreach (var card in new[] { State.Cards.OpenApplication, State.Cards.Current })
        {
            if (card is not null && card.State != CardState.Revoked)
            {
                await StepAsync(card, RevocationAtDeath(command.IdempotencyKey, command.Actor, time.GetUtcNow()));
            }
        }

        return outcome;
    }

    // The revocations a death owes: of the open application and of the current card, each planned on this grain's copy.
    private (PersonCards Cards, OwedCardStep[] Steps) RevocationsAtDeath(ResidentChange death)
    {
        var cards = State.Cards;
        var steps = new List<OwedCardStep>();
        foreach (var card in new[] { cards.OpenApplication, cards.Current })
        {
            var revocation = RevocationAtDeath(death.OperationId, death.Actor, death.At);
            if (card is not null && card.State != CardState.Revoked && Plan(cards, card, revocation, revocation.OperationId, null) is (var after, { } step, null))
            {
                cards = after;
                steps.Add(step);
            }
        }

        return (cards, [.. steps]);
    }

    private static CardTransition RevocationAtDeath(string deathKey, Actor actor, DateTimeOffset at) =>
        new(CardStepKind.Revocation, $"death:{deathKey}", at, actor) { Reason = "The holder died." };

    // An application allocates its number, stores the intent, then creates the card: a write of this grain that fails leaves
    // no card anywhere, not even a row in the read model (the number is simply never used, as no number is used twice),
    // and a card created is one this grain has stored, so it is never an application nobody can reach.
    private async Task<CardOutcome> OpenApplicationAsync(string key, Actor actor, CardReason reason, ResidentRecord resident)
    {
        var now = time.GetUtcNow();
        var province = resident.PermanentResidenceProvince;
        var number = await GrainFactory.CardNumberAllocator(province).AllocateAsync();
        var applied = new IdentityCard(number, Number, province, reason, CardState.Applied, Today)
        {
            Steps = [new CardStep(CardStepKind.Application, key, now, actor)],
        };
        var entry = CardEntry(key, actor, now, applied, null, $"applied for ({CardApplications.NameOf(reason)})");
        return await RecordCardStepsAsync(State.Cards with { OpenApplication = applied }, [new OwedCardStep(applied, null, entry)]);
    }

    // Issue replaces the current card: its revocation and the issue are one intent, told in that order, so that a crash in
    // between leaves the person with no valid card at the cards, never two, until the intent is finished.
    private async Task<CardOutcome> IssueAsync(IdentityCard card, CardTransition transition)
    {
        var cards = State.Cards;
        var steps = new List<OwedCardStep>();
        if (cards.Current is { State: not CardState.Revoked } replaced)
        {
            var revocation = new CardTransition(CardStepKind.Revocation, $"{transition.OperationId}:replaced", transition.At, transition.Actor)
            {
                Reason = $"Replaced by card {card.DocumentNumber}.",
            };
            if (Plan(cards, replaced, revocation, transition.OperationId, revocation.Reason) is (var revoked, { } step, null))
            {
                cards = revoked;
                steps.Add(step);
            }
        }

        // Decided on this grain's copy first, so that nothing (the card it replaces above all) changes for a step the card
        // would refuse.
        var (issued, issue, refused) = Plan(cards, card, transition, transition.OperationId, null);
        if (refused is not null)
        {
            return refused;
        }

        steps.Add(issue!);
        return await RecordCardStepsAsync(issued, [.. steps]);
    }

    private async Task<CardOutcome> StepAsync(IdentityCard card, CardTransition transition)
    {
        var (cards, step, refused) = Plan(State.Cards, card, transition, transition.OperationId, null);
        return refused ?? await RecordCardStepsAsync(cards, [step!]);
    }

    // The step of card by transition as this grain records it, decided on its copy: the person's cards after it, and the
    // step owed to the card with its history entry; or the refusal naming the card's state.
    private static (PersonCards Cards, OwedCardStep? Step, CardRefused? Refused) Plan(
        PersonCards cards, IdentityCard card, CardTransition transition, string entryKey, string? note)
    {
        var outcome = CardLifecycle.Decide(card, transition);
        if (outcome is not CardChanged { Card: var after })
        {
            return (cards, null, (CardRefused)outcome);
        }

        // An application stays open until issued or revoked; issued, it is the person's current card.
        var next = cards.OpenApplication?.DocumentNumber != card.DocumentNumber ? cards with { Current = after }
            : after.State == CardState.Issued ? new PersonCards { OpenApplication = null, Current = after }
            : cards with { OpenApplication = after.State == CardState.Revoked ? null : after };
        note ??= transition.Step == CardStepKind.Revocation ? $"revoked: {transition.Reason}" : CardLifecycle.NameOf(after.State);
        var entry = CardEntry(entryKey, transition.Actor, transition.At, after, card.State, note);
        return (next, new OwedCardStep(after, transition, entry), null);
    }

    // Stores the intent (the person's cards after the steps, their entries, the steps owed), then tells the cards. The
    // answer is the last step's card, or, when its card refused it (a card out of step with this grain's copy, or an
    // imported number another import took a moment before), the card's refusal, with the step taken back.
    private async Task<CardOutcome> RecordCardStepsAsync(PersonCards cards, OwedCardStep[] steps)
    {
        await StoreAsync(State with
        {
            Cards = cards,
            History = [.. State.History, .. steps.Select(static step => step.Entry)],
            OwedCardSteps = [.. State.OwedCardSteps, .. steps],
        });
        await RunPendingEffectsAsync();
        var last = steps[^1];
        if (State.History.Count > 0 && State.History[^1] == last.Entry)
        {
            return new CardChanged(last.Card, Replayed: false);
        }

        return last.Transition is { } transition && await GrainFactory.IdentityCard(last.Card.DocumentNumber).GetAsync() is { } actual
            && CardLifecycle.Decide(actual, transition) is CardRefused refused
            ? refused
            : new CardRefused(CardImports.NumberTaken(last.Card.DocumentNumber));
    }

    // Tells every owed step to its card's grain, oldest first, then marks them done in memory only, as the counts of a
    // change are (RunPendingEffectsAsync): storage keeps saying "owed" until the next write of this state, and an
    // activation that reads it tells the steps again, which their cards answer as replays. That is safe because no later
    // step of the person's cards is told before this state is written with it, so a card never moves on past a step that
    // storage still owes. A step its card refuses is taken back (entry and copy), deterministically: the card refuses it
    // again if it is told again.
    private async Task TellOwedCardStepsAsync()
    {
        var cards = State.Cards;
        var history = State.History;
        foreach (var owed in State.OwedCardSteps)
        {
            var grain = GrainFactory.IdentityCard(owed.Card.DocumentNumber);
            IdentityCard? actual;
            if (owed.Transition is { } transition)
            {
                if (await grain.TransitionAsync(transition) is CardChanged)
                {
                    continue;
                }

                actual = await grain.GetAsync();
            }
            else
            {
                var created = await grain.CreateAsync(owed.Card);
                if (created.Holder == owed.Card.Holder && created.Steps is [var first, ..] && first.OperationId == owed.Card.Steps[0].OperationId)
                {
                    continue;
                }

                actual = null;
            }

            LogCardStepTakenBack(logger, owed.Card.DocumentNumber.Value, owed.Entry.OperationId, Number.Value);
            var number = owed.Card.DocumentNumber;
            history = [.. history.Where(entry => entry != owed.Entry)];
            cards = new PersonCards
            {
                OpenApplication = cards.OpenApplication?.DocumentNumber == number ? actual : cards.OpenApplication,
                Current = cards.Current?.DocumentNumber == number ? actual : cards.Current,
            };
        }

        state.State = State with { Cards = cards, History = history, OwedCardSteps = [] };
        _doneNotStored = true;
    }

    // A key already in the history answers with the card it changed as it now is; a key used for another kind of change is refused.
    private async Task<CardOutcome?> CardReplayAsync(string key)
    {
        if ((await EntriesOfAsync(key)).LastOrDefault() is not { } done)
        {
            return null;
        }

        return done.Kind == ResidentChangeKind.IdentityCard && DocumentNumber.TryParse(done.NewValue, out var number, out _)
            && await GrainFactory.IdentityCard(number).GetAsync() is { } card
            ? new CardChanged(card, Replayed: true)
            : new CardRefused(new Refusal(RefusalKind.Conflict, "This idempotency key was already used for a different change; nothing was changed.",
                [new FieldError("idempotencyKey", $"'{key}' belongs to an earlier change of this person. Use a new key for a new change.")]));
    }

    // One step in the person's history: the field identityCard, the document number as the new value, the card's state
    // before as the old one (null for an application), and the step in words as the reason.
    private static ResidentChange CardEntry(string key, Actor actor, DateTimeOffset at, IdentityCard card, CardState? before, string step) =>
        new(key, ResidentChangeKind.IdentityCard, at, actor, ResidentFields.IdentityCard,
            before is { } old ? CardLifecycle.NameOf(old) : null, card.DocumentNumber.Value, step, null);

    private CardRefused NobodyHolds() => new(new Refusal(RefusalKind.NotFound, "No person holds this personal ID number.",
        [new FieldError("personalIdNumber", $"{Number} is not in the registry.")]));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Card {DocumentNumber} refused step {OperationId} of citizen {PersonalIdNumber}, whose copy allowed it; the step is taken back")]
    private static partial void LogCardStepTakenBack(ILogger logger, string documentNumber, string operationId, string personalIdNumber);
}
