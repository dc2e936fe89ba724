namespace Portal.Application.Abstractions;

/// <summary>A plain-text e-mail of the portal (S6), in French.</summary>
public sealed record OutgoingMail(string ToAddress, string ToName, string Subject, string Body);

/// <summary>Sends e-mail: SMTP in production, a pickup folder of .eml files by default (see MailOptions).</summary>
public interface IMailSender
{
    /// <summary>Throws <see cref="MailRejectedException"/> when the server refuses this message for good, any other exception when it may work later.</summary>
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}

/// <summary>The mail server refused the message for good (e.g. an unknown recipient): retrying would not help.</summary>
public sealed class MailRejectedException(string message, Exception? inner = null) : Exception(message, inner);
