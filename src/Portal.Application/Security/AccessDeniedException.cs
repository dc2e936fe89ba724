namespace Portal.Application.Security;

/// <summary>The user may not do this; answered 403 over HTTP and a French message in the UI.</summary>
public sealed class AccessDeniedException(string message = "Vous n'avez pas accès à cette ressource.") : Exception(message);

/// <summary>Not found, or outside the user's scope (answered the same way, 404, so ids cannot be probed).</summary>
public sealed class NotFoundException(string message = "Élément introuvable.") : Exception(message);
