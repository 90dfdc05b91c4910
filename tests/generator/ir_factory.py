"""Small IR values built by hand for rendering tests, with defaults for everything a test
does not care about."""

from __future__ import annotations

from specloom.ir import (
    Api,
    Body,
    EnumDef,
    EnumMember,
    Field,
    ModelDef,
    Operation,
    Parameter,
    ParameterLocation,
    References,
    Response,
    Server,
    Service,
    TypeAliasDef,
    TypeDef,
)

NO_REFERENCES = References()


def field(
    name: str,
    annotation: str = "str",
    *,
    wire_name: str | None = None,
    required: bool = True,
    nullable: bool = False,
    default: str | None = None,
    description: str = "",
    pattern: str | None = None,
    deprecated: bool = False,
    constraints: tuple[tuple[str, str], ...] = (),
) -> Field:
    return Field(
        python_name=name,
        wire_name=name if wire_name is None else wire_name,
        annotation=annotation,
        required=required,
        nullable=nullable,
        default=default,
        description=description,
        pattern=pattern,
        deprecated=deprecated,
        constraints=constraints,
    )


def model(
    name: str,
    *fields: Field,
    description: str = "",
    references: References = NO_REFERENCES,
    extra_annotation: str | None = None,
) -> ModelDef:
    return ModelDef(
        name=name,
        wire_name=name,
        description=description,
        fields=fields,
        extra="allow" if extra_annotation else "ignore",
        extra_annotation=extra_annotation,
        pointer=f"/components/schemas/{name}",
        references=references,
    )


def enum(name: str, *values: str, description: str = "", base: str = "str") -> EnumDef:
    """An enum whose members are given as Python literals (`'"a"'`, `'3'`)."""
    members = tuple(EnumMember(f"MEMBER_{i}", value) for i, value in enumerate(values))
    return EnumDef(
        name=name,
        wire_name=name,
        description=description,
        base="int" if base == "int" else "str",
        members=members,
        pointer=f"/components/schemas/{name}",
    )


def alias(
    name: str, annotation: str, *, description: str = "", references: References = NO_REFERENCES
) -> TypeAliasDef:
    return TypeAliasDef(
        name=name,
        wire_name=name,
        description=description,
        annotation=annotation,
        pointer=f"/components/schemas/{name}",
        references=references,
    )


def parameter(
    name: str,
    annotation: str = "int",
    *,
    location: ParameterLocation = "query",
    wire_name: str | None = None,
    required: bool = False,
    description: str = "",
    style: str | None = None,
    explode: bool | None = None,
    default: str | None = None,
    constraints: tuple[tuple[str, str], ...] = (),
) -> Parameter:
    """A parameter; `annotation` is the value type (`| None` is added when optional)."""
    style = style or {"path": "simple", "header": "simple"}.get(location, "form")
    return Parameter(
        python_name=name,
        wire_name=name if wire_name is None else wire_name,
        location=location,
        annotation=annotation if required else f"{annotation} | None",
        required=required,
        description=description,
        style=style,
        explode=(style == "form") if explode is None else explode,
        default=default,
        value_annotation=annotation,
        constraints=constraints,
    )


def body(annotation: str, *, required: bool = True, description: str = "") -> Body:
    return Body(
        annotation=annotation if required else f"{annotation} | None",
        content_type="application/json",
        kind="json",
        required=required,
        description=description,
        value_annotation=annotation,
    )


_STATUS_CLASSES = {"200": "Ok", "201": "Created", "204": "NoContent", "404": "NotFound"}


def response(
    status: str,
    annotation: str | None = None,
    *,
    description: str = "",
    content_type: str | None = "application/json",
) -> Response:
    return Response(
        status=status,
        annotation=annotation,
        content_type=content_type if annotation is not None else None,
        description=description,
        is_success=status.startswith("2"),
        status_class=_STATUS_CLASSES.get(status, "WithStatus"),
    )


def operation(
    name: str,
    *,
    method: str = "GET",
    path: str = "/things",
    tag: str = "things",
    summary: str = "",
    description: str = "",
    parameters: tuple[Parameter, ...] = (),
    request_body: Body | None = None,
    responses: tuple[Response, ...] = (),
    references: References = NO_REFERENCES,
) -> Operation:
    """An operation; its return annotations are derived from `responses` the way the
    parser derives them (the first 2xx is the primary success)."""
    successes = [r for r in responses if r.is_success]
    success = successes[0] if successes else None
    client_return = "None" if success is None or success.annotation is None else success.annotation
    others = [r for r in responses if r is not success]
    status_classes = sorted({r.status_class for r in others})
    server_return = " | ".join(
        [client_return]
        + [
            f"{r.status_class}[{r.annotation or 'None'}]"
            if r.status_class != "NoContent"
            else "NoContent"
            for r in others
        ]
    )
    annotations = [client_return, *(r.annotation or "None" for r in others)]
    response_parts = [a for a in dict.fromkeys(annotations) if a != "None"]
    client_response = " | ".join(response_parts + (["None"] if "None" in annotations else []))
    return Operation(
        python_name=name,
        operation_id=name,
        constant_name=name.upper(),
        method=method,
        path=path,
        tag=tag,
        summary=summary,
        description=description,
        deprecated=False,
        parameters=parameters,
        body=request_body,
        responses=responses,
        success=success,
        client_return=client_return,
        client_response=client_response or "None",
        server_return=server_return,
        pointer=f"/paths/{path}/{method.lower()}",
        references=references,
        status_classes=tuple(status_classes),
        tags=() if tag == "default" else (tag,),
    )


def service(tag: str, *operations: Operation, description: str = "") -> Service:
    title = tag.title().replace("_", "")
    return Service(
        tag=tag,
        attribute_name=tag,
        module_name=tag,
        client_class=f"{title}Service",
        api_class=f"{title}Api",
        description=description,
        operations=operations,
    )


def api(
    *,
    types: tuple[TypeDef, ...] = (),
    services: tuple[Service, ...] = (),
    title: str = "Things",
    version: str = "1.0.0",
    description: str = "",
    server_url: str | None = "https://things.example.com/v1",
) -> Api:
    return Api(
        title=title,
        version=version,
        description=description,
        openapi_version="3.1.0",
        servers=() if server_url is None else (Server(server_url, ""),),
        types=types,
        services=services,
    )


def petstore() -> Api:
    """A hand-built IR of a small pet store, close to `fixtures/petstore`."""
    pet_refs = References(types=("PetStatus",), modules=("datetime",))
    types: tuple[TypeDef, ...] = (
        enum(
            "PetStatus",
            '"available"',
            '"adopted"',
            description="Where the pet is in the adoption process.",
        ),
        model(
            "Pet",
            field("id", "int", description="Unique id."),
            field("name", "str", description="The pet's name."),
            field("status", "PetStatus | None", required=False),
            field(
                "born_at",
                "datetime.datetime | None",
                wire_name="born-at",
                required=False,
                description="When the pet was born.",
            ),
            description="A pet in the store.",
            references=pet_refs,
        ),
        model(
            "Error",
            field("code", "int"),
            field("message", "str"),
            description="A problem the server reports.",
        ),
        alias("PetList", "list[Pet]", references=References(types=("Pet",))),
        model("Inventory", references=References(), extra_annotation="int"),
    )
    list_pets = operation(
        "list_pets",
        path="/pets",
        tag="pets",
        summary="List pets",
        description="Returns the pets in the store.",
        parameters=(
            parameter("limit", "int", description="How many pets to return at most."),
            parameter("status", "PetStatus", description="Only pets with this status."),
            parameter("x_request_id", "uuid.UUID", location="header", wire_name="X-Request-Id"),
        ),
        responses=(
            response("200", "list[Pet]", description="The pets."),
            response("default", "Error", description="Something went wrong."),
        ),
        references=References(types=("Error", "Pet", "PetStatus"), modules=("uuid",)),
    )
    create_pet = operation(
        "create_pet",
        method="POST",
        path="/pets",
        tag="pets",
        summary="Add a pet",
        request_body=body("Pet", description="The pet to add."),
        responses=(response("201", "Pet"), response("404", "Error")),
        references=References(types=("Error", "Pet")),
    )
    get_pet = operation(
        "get_pet",
        path="/pets/{petId}",
        tag="pets",
        parameters=(parameter("pet_id", "int", location="path", wire_name="petId", required=True),),
        responses=(response("200", "Pet"), response("404", "Error")),
        references=References(types=("Error", "Pet")),
    )
    delete_pet = operation(
        "delete_pet",
        method="DELETE",
        path="/pets/{petId}",
        tag="pets",
        parameters=(parameter("pet_id", "int", location="path", wire_name="petId", required=True),),
        responses=(response("204"), response("404", "Error")),
        references=References(types=("Error",)),
    )
    get_inventory = operation(
        "get_inventory",
        path="/store/inventory",
        tag="store",
        summary="Count pets by status",
        responses=(response("200", "Inventory"),),
        references=References(types=("Inventory",)),
    )
    health = operation("health", path="/health", tag="default", responses=(response("204"),))
    return api(
        title="Petstore",
        description="A pet store.",
        types=types,
        services=(
            service("default", health),
            service(
                "pets",
                list_pets,
                create_pet,
                get_pet,
                delete_pet,
                description="Everything about pets.",
            ),
            service("store", get_inventory),
        ),
    )
