using Registry.Contracts.Cards;
using Registry.Contracts.Residents;

namespace Registry.Grains.Residents;

/// <summary>
/// A step of one of the person's cards that the citizen stored, with its copy of the card after it and the history entry
/// it writes, before telling the card's grain (<c>CitizenGrain.Cards.cs</c>): owed until the card grain has taken it.
/// </summary>
/// <param name="Card">The card as the citizen recorded it after the step: the card to create when <paramref name="Transition"/> is null.</param>
/// <param name="Transition">The step the card's grain takes; null when the step creates the card (an application, an import).</param>
/// <param name="Entry">The history entry stored with the step; taken back if the card grain refuses it.</param>
public sealed record OwedCardStep(IdentityCard Card, CardTransition? Transition, ResidentChange Entry);
