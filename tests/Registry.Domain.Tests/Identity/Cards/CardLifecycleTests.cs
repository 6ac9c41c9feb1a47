using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>
/// The card's state machine: applied → produced → issued → expired | reported lost | revoked; every other transition is
/// refused naming the state the card is in, and a repeated step (same key) is a replay.
/// </summary>
public sealed class CardLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly Actor Officer = new("officer-079", ActorRole.ProvincialOfficer, "079");

    /// <summary>The transitions of the machine, and every one that is not.</summary>
    [Theory]
    [InlineData(CardState.Applied, CardStepKind.Production, CardState.Produced)]
    [InlineData(CardState.Applied, CardStepKind.Issue, null)]
    [InlineData(CardState.Applied, CardStepKind.LossReport, null)]
    [InlineData(CardState.Applied, CardStepKind.Revocation, CardState.Revoked)]
    [InlineData(CardState.Produced, CardStepKind.Production, null)]
    [InlineData(CardState.Produced, CardStepKind.Issue, CardState.Issued)]
    [InlineData(CardState.Produced, CardStepKind.LossReport, null)]
    [InlineData(CardState.Produced, CardStepKind.Revocation, CardState.Revoked)]
    [InlineData(CardState.Issued, CardStepKind.Production, null)]
    [InlineData(CardState.Issued, CardStepKind.Issue, null)]
    [InlineData(CardState.Issued, CardStepKind.LossReport, CardState.ReportedLost)]
    [InlineData(CardState.Issued, CardStepKind.Revocation, CardState.Revoked)]
    [InlineData(CardState.ReportedLost, CardStepKind.Issue, null)]
    [InlineData(CardState.ReportedLost, CardStepKind.LossReport, null)]
    [InlineData(CardState.ReportedLost, CardStepKind.Revocation, CardState.Revoked)]
    [InlineData(CardState.Revoked, CardStepKind.Production, null)]
    [InlineData(CardState.Revoked, CardStepKind.Issue, null)]
    [InlineData(CardState.Revoked, CardStepKind.LossReport, null)]
    [InlineData(CardState.Revoked, CardStepKind.Revocation, null)]
    public void Only_the_machines_transitions_apply(CardState from, CardStepKind step, CardState? to)
    {
        var card = Card(from, expiresOn: new DateOnly(2040, 1, 1));
        var outcome = CardLifecycle.Decide(card, Step(step));

        if (to is { } expected)
        {
            var changed = Assert.IsType<CardChanged>(outcome);
            Assert.Equal(expected, changed.Card.State);
            Assert.Equal(step, changed.Card.Steps[^1].Kind);
        }
        else
        {
            var refused = Assert.IsType<CardRefused>(outcome).Refusal;
            Assert.Equal(RefusalKind.Conflict, refused.Kind);
            Assert.Equal("state", Assert.Single(refused.Errors).Field);
            Assert.Contains($"is {CardLifecycle.NameOf(from)}", refused.Errors[0].Message, StringComparison.Ordinal);
        }
    }

    /// <summary>An issued card past its expiry is expired on read: it cannot be issued again, but it can be reported lost or revoked.</summary>
    [Fact]
    public void An_issued_card_past_its_expiry_reads_expired()
    {
        var card = Card(CardState.Issued, expiresOn: new DateOnly(2026, 2, 28));

        Assert.Equal(CardState.Expired, CardLifecycle.StateAt(card, Now));
        Assert.Equal(CardState.Issued, CardLifecycle.StateAt(card, new DateTimeOffset(2026, 2, 28, 16, 59, 0, TimeSpan.Zero)));
        var refused = Assert.IsType<CardRefused>(CardLifecycle.Decide(card, Step(CardStepKind.Issue)));
        Assert.Contains("is expired", refused.Refusal.Errors[0].Message, StringComparison.Ordinal);
        Assert.IsType<CardChanged>(CardLifecycle.Decide(card, Step(CardStepKind.Revocation)));
    }

    /// <summary>A step repeated with its key is a replay that changes nothing; the key of another step is refused.</summary>
    [Fact]
    public void A_repeated_step_is_a_replay()
    {
        var produced = Assert.IsType<CardChanged>(CardLifecycle.Decide(Card(CardState.Applied), Step(CardStepKind.Production, "k-1"))).Card;

        var again = Assert.IsType<CardChanged>(CardLifecycle.Decide(produced, Step(CardStepKind.Production, "k-1")));
        Assert.True(again.Replayed);
        Assert.Same(produced, again.Card);
        var other = Assert.IsType<CardRefused>(CardLifecycle.Decide(produced, Step(CardStepKind.Issue, "k-1")));
        Assert.Equal("idempotencyKey", other.Refusal.Errors[0].Field);
    }

    internal static IdentityCard Card(CardState state, DateOnly? expiresOn = null) =>
        new(DocumentNumber.Create(0, "079", 123_456), PersonalIdNumber.Create(IdNumberPrefix.For("079", Sex.Female, new DateOnly(1990, 5, 17)), 1),
            "079", CardReason.FirstCard, state, new DateOnly(2025, 1, 1))
        {
            IssuedOn = state is CardState.Applied or CardState.Produced ? null : new DateOnly(2025, 2, 1),
            ExpiresOn = expiresOn,
        };

    private static CardTransition Step(CardStepKind step, string key = "key") =>
        new(step, key, Now, Officer) { IssuedOn = new DateOnly(2026, 3, 1), ExpiresOn = new DateOnly(2040, 1, 1), Reason = "test" };
}
