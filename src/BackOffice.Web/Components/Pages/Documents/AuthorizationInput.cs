using BackOffice.Application.Pickup;
using BackOffice.Domain.Documents;

namespace BackOffice.Web.Components.Pages.Documents;

/// <summary>What the authorisation dialog hands back: the person as typed and the authorisation shown.</summary>
public sealed record AuthorizationInput(AuthorizedPersonDraft Person, AuthorizationProof Proof);

/// <summary>What the deadline dialog hands back: the days to add and why.</summary>
public sealed record DeadlineExtensionInput(int Days, string Reason);
