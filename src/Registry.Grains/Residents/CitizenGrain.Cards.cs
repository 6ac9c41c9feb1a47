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
/// The card's own grain holds its state machine; this grain decides what the person allows (<see cref="CardApplications"/>),
/// tells the card, then stores its copy and the step in the person's history. The card grain never calls back.
/// A step cut short (the card changed, this grain's store lost) is finished by repeating the request with its key: the
/// card replays its step and this grain stores what it missed.
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

            return new CardChanged(await OpenApplicationAsync(command.IdempotencyKey, command.Actor, command.Reason, resident), Replayed: false);
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

            // Decided on this grain's copy first, so that nothing (the card it replaces above all) changes for a step the
            // card would refuse.
            if (CardLifecycle.Decide(card!, transition) is CardRefused refused)
            {
                return refused;
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

            // The card's grain first, as for an application: it holds the number, so of two imports of one number only
            // one finds it free; a card this grain then fails to store is repaired by the request repeated with its key.
            var resident = State.Resident!;
            var imported = CardImports.Imported(command, resident, now);
            var card = await GrainFactory.IdentityCard(command.DocumentNumber).CreateAsync(imported);
            if (!CardImports.IsImportOf(card, command, resident))
            {
                return new CardRefused(CardImports.NumberTaken(command.DocumentNumber));
            }

            var expiry = card.ExpiresOn is { } expiresOn ? $"valid until {expiresOn:yyyy-MM-dd}" : "no expiry";
            await StoreAsync(State with
            {
                Cards = State.Cards with { Current = card },
                History = [.. State.History, CardEntry(command.IdempotencyKey, command.Actor, now, card, null, $"imported (issued {card.IssuedOn:yyyy-MM-dd}, {expiry})")],
            });
            return new CardChanged(card, Replayed: false);
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
        if (State.Cards is { OpenApplication: null, Current.State: CardState.Issued } && !State.History.Any(entry => entry.OperationId == key))
        {
            await OpenApplicationAsync(key, actor, CardReason.ChangeOfData, resident);
        }
    }

    // Recording a death revokes the person's card and closes an open application (Law 26/2023 Art. 23: a dead person's
    // card is withdrawn). Run after every answer that says the death is recorded, a replay too, so that a revocation cut
    // short is finished by the repeated approval.
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
                var transition = new CardTransition(CardStepKind.Revocation, $"death:{command.IdempotencyKey}", time.GetUtcNow(), command.Actor) { Reason = "The holder died." };
                await StepAsync(card, transition);
            }
        }

        return outcome;
    }

    private async Task<IdentityCard> OpenApplicationAsync(string key, Actor actor, CardReason reason, ResidentRecord resident)
    {
        var now = time.GetUtcNow();
        var province = resident.PermanentResidenceProvince;
        var number = await GrainFactory.CardNumberAllocator(province).AllocateAsync();
        var applied = new IdentityCard(number, Number, province, reason, CardState.Applied, Today)
        {
            Steps = [new CardStep(CardStepKind.Application, key, now, actor)],
        };

        // The card first: a card this grain never stores is an application nobody can reach, never a second valid card.
        var card = await GrainFactory.IdentityCard(number).CreateAsync(applied);
        await StoreAsync(State with
        {
            Cards = State.Cards with { OpenApplication = card },
            History = [.. State.History, CardEntry(key, actor, now, card, null, $"applied for ({CardApplications.NameOf(reason)})")],
        });
        return card;
    }

    // Issue replaces the current card: it is revoked first, then the new one issued, then both stored here; a crash in
    // between leaves the person with no valid card, never two, and the repeated request finishes it.
    private async Task<CardOutcome> IssueAsync(IdentityCard card, CardTransition transition)
    {
        var entries = new List<ResidentChange>();
        var cards = State.Cards;
        if (cards.Current is { State: not CardState.Revoked } replaced)
        {
            var revocation = new CardTransition(CardStepKind.Revocation, $"{transition.OperationId}:replaced", transition.At, transition.Actor)
            {
                Reason = $"Replaced by card {card.DocumentNumber}.",
            };
            if (await GrainFactory.IdentityCard(replaced.DocumentNumber).TransitionAsync(revocation) is CardChanged revoked)
            {
                entries.Add(CardEntry(transition.OperationId, transition.Actor, transition.At, revoked.Card, replaced.State, revocation.Reason));
            }
        }

        if (await GrainFactory.IdentityCard(card.DocumentNumber).TransitionAsync(transition) is not CardChanged issued)
        {
            throw new InvalidOperationException($"Card {card.DocumentNumber} refused its issue after this grain's copy allowed it.");
        }

        entries.Add(CardEntry(transition.OperationId, transition.Actor, transition.At, issued.Card, card.State, "issued"));
        await StoreAsync(State with
        {
            Cards = new PersonCards { OpenApplication = null, Current = issued.Card },
            History = [.. State.History, .. entries],
        });
        return new CardChanged(issued.Card, Replayed: false);
    }

    private async Task<CardOutcome> StepAsync(IdentityCard card, CardTransition transition)
    {
        var outcome = await GrainFactory.IdentityCard(card.DocumentNumber).TransitionAsync(transition);
        if (outcome is not CardChanged changed)
        {
            return outcome;
        }

        var cards = State.Cards;
        cards = cards.OpenApplication?.DocumentNumber == card.DocumentNumber
            ? cards with { OpenApplication = changed.Card.State == CardState.Revoked ? null : changed.Card }
            : cards with { Current = changed.Card };
        var note = transition.Step == CardStepKind.Revocation ? $"revoked: {transition.Reason}" : CardLifecycle.NameOf(changed.Card.State);
        await StoreAsync(State with
        {
            Cards = cards,
            History = [.. State.History, CardEntry(transition.OperationId, transition.Actor, transition.At, changed.Card, card.State, note)],
        });
        return new CardChanged(changed.Card, Replayed: false);
    }

    // A key already in the history answers with the card it changed as it now is; a key used for another kind of change is refused.
    private async Task<CardOutcome?> CardReplayAsync(string key)
    {
        if (State.History.LastOrDefault(entry => entry.OperationId == key) is not { } done)
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
}
