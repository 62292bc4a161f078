resource "aws_ecs_cluster" "nexora" {
  name = "nexora-prod"
}

resource "aws_cloudwatch_log_group" "api" {
  name              = "/ecs/nexora-api"
  retention_in_days = 30
}

resource "aws_ecs_task_definition" "api" {
  family                   = "nexora-api"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = "256"
  memory                   = "512"

  container_definitions = jsonencode([
    {
      name         = "nexora-api"
      image        = "node:20-alpine"
      portMappings = [{ containerPort = 3000 }]
      healthCheck = {
        command  = ["CMD-SHELL", "wget -qO- http://localhost:3000/health || exit 1"]
        interval = 30
        timeout  = 5
        retries  = 3
      }
    }
  ])
}

resource "aws_ecs_service" "api" {
  name            = "nexora-api"
  cluster         = aws_ecs_cluster.nexora.id
  task_definition = aws_ecs_task_definition.api.arn
  desired_count   = 2
  launch_type     = "FARGATE"

  load_balancer {
    target_group_arn = aws_lb_target_group.api.arn
    container_name   = "nexora-api"
    container_port   = 3000
  }
}
