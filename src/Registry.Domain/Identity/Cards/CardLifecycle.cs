using Registry.Contracts;
using Registry.Contracts.Cards;

namespace Registry.Domain.Identity.Cards;

/// <summary>
/// A card's state machine (Law 26/2023; design, ID card): applied → produced → issued → expired | reported lost |
/// revoked. A card not yet issued may be revoked too (its application closed: the holder died, or a correction
/// superseded it), and a lost card is revoked by its replacement. Every other transition is refused naming the state the
/// card is in, and changes nothing. An issued card past its last day reads as expired at once; the daily sweep then
/// records the expiry as a step of its own (<see cref="CardStepKind.Expiry"/>), once, for a card still stored as issued.
/// </summary>
public static class CardLifecycle
{
    /// <summary>The state of <paramref name="card"/> at <paramref name="now"/>: an issued card past its expiry (Vietnam's calendar) is expired.</summary>
    public static CardState StateAt(IdentityCard card, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.State == CardState.Issued && CardExpiry.HasExpired(card.ExpiresOn, now) ? CardState.Expired : card.State;
    }

    /// <summary>Whether <paramref name="card"/> is valid at <paramref name="now"/>: issued and not expired.</summary>
    public static bool IsValidAt(IdentityCard card, DateTimeOffset now) => StateAt(card, now) == CardState.Issued;

    /// <summary>
    /// The card after <paramref name="transition"/>, a replay when its operation id is already one of the card's steps, or
    /// the refusal naming the card's state.
    /// </summary>
    public static CardOutcome Decide(IdentityCard card, CardTransition transition)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(transition);
        if (card.Steps.FirstOrDefault(step => step.OperationId == transition.OperationId) is { } done)
        {
            return done.Kind == transition.Step
                ? new CardChanged(card, Replayed: true)
                : new CardRefused(new Refusal(RefusalKind.Conflict, "This idempotency key was already used for another step of this card; nothing was changed.",
                    [new FieldError("idempotencyKey", $"'{transition.OperationId}' was the key of the card's {Describe(done.Kind)}. Use a new key for a new step.")]));
        }

        var state = StateAt(card, transition.At);
        var step = new CardStep(transition.Step, transition.OperationId, transition.At, transition.Actor);
        return (transition.Step, state) switch
        {
            (CardStepKind.Production, CardState.Applied) => Changed(card with { State = CardState.Produced, Printed = transition.Printed ?? card.Printed }, step),
            (CardStepKind.Issue, CardState.Produced) when transition.IssuedOn is { } issuedOn =>
                Changed(card with { State = CardState.Issued, IssuedOn = issuedOn, ExpiresOn = transition.ExpiresOn }, step),
            // Only a card stored as issued and read as expired: a card renewed meanwhile is revoked, one recorded expired
            // already has its step, and one not yet past its last day on Vietnam's calendar is not expired at all.
            (CardStepKind.Expiry, CardState.Expired) when card.State == CardState.Issued => Changed(card with { State = CardState.Expired }, step),
            (CardStepKind.LossReport, CardState.Issued or CardState.Expired) => Changed(card with { State = CardState.ReportedLost }, step),
            (CardStepKind.Revocation, CardState.Applied or CardState.Produced or CardState.Issued or CardState.Expired or CardState.ReportedLost) =>
                Changed(card with { State = CardState.Revoked, RevocationReason = transition.Reason }, step),
            _ => Refuse(card, state, transition.Step),
        };
    }

    /// <summary>The refusal of <paramref name="step"/> for a card in <paramref name="state"/>: 409 naming the state.</summary>
    public static CardRefused Refuse(IdentityCard card, CardState state, CardStepKind step)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new(new Refusal(RefusalKind.Conflict, "The card's state does not allow this step; nothing was changed.",
            [new FieldError("state", $"Card {card.DocumentNumber} is {NameOf(state)}; its {Describe(step)} is not possible from there.")]));
    }

    /// <summary>The wire name of <paramref name="state"/>.</summary>
    public static string NameOf(CardState state) => state switch
    {
        CardState.Applied => "applied",
        CardState.Produced => "produced",
        CardState.Issued => "issued",
        CardState.Expired => "expired",
        CardState.ReportedLost => "reportedLost",
        CardState.Revoked => "revoked",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Not a card state."),
    };

    /// <summary>The step in words, e.g. "production".</summary>
    public static string Describe(CardStepKind step) => step switch
    {
        CardStepKind.Application => "application",
        CardStepKind.Production => "production",
        CardStepKind.Issue => "issue",
        CardStepKind.LossReport => "report as lost",
        CardStepKind.Revocation => "revocation",
        CardStepKind.Expiry => "expiry",
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, "Not a card step."),
    };

    private static CardChanged Changed(IdentityCard next, CardStep step) => new(next with { Steps = [.. next.Steps, step] }, Replayed: false);
}
