"""`GET /v1/models` and `GET /v1/models/{model}`: the models this server answers as."""

from __future__ import annotations

from fastapi import APIRouter, Request

from agent_desktop_mocks.model.openai_errors import OpenAiError
from agent_desktop_mocks.model.schemas import ErrorBody, Model, ModelList

router = APIRouter(tags=["models"])


@router.get("/models", response_model=ModelList, summary="The models this server answers as")
async def list_models(request: Request) -> ModelList:
    return ModelList(data=[Model(id=name) for name in request.app.state.server.settings.models])


@router.get("/models/{model}", response_model=Model, responses={404: {"model": ErrorBody}}, summary="One model")
async def get_model(model: str, request: Request) -> Model:
    if model not in request.app.state.server.settings.models:
        raise OpenAiError(404, f"The model '{model}' does not exist", code="model_not_found", param="model")
    return Model(id=model)
