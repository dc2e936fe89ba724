using Portal.Domain.Common;

namespace Portal.Domain.Organisations;

/// <summary>A département or an employment zone (zone d'emploi) inside one.</summary>
public sealed class Territory : Entity
{
    private Territory() { }

    public Territory(string code, string name, TerritoryKind kind, string departementCode, Guid? parentId = null)
    {
        if (string.IsNullOrWhiteSpace(code)) throw new DomainException("Le code du territoire est obligatoire.");
        if (string.IsNullOrWhiteSpace(name)) throw new DomainException("Le nom du territoire est obligatoire.");
        Code = code.Trim();
        Name = name.Trim();
        Kind = kind;
        DepartementCode = departementCode;
        ParentId = parentId;
    }

    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public TerritoryKind Kind { get; private set; }
    public string DepartementCode { get; private set; } = "";
    public Guid? ParentId { get; private set; }
}
