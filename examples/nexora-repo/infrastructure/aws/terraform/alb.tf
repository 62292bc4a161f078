resource "aws_lb" "nexora" {
  name               = "nexora-prod-alb"
  load_balancer_type = "application"
  internal           = false
  subnets            = var.public_subnet_ids
}

resource "aws_lb_target_group" "api" {
  name        = "nexora-api-tg"
  port        = 3000
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id

  health_check {
    path                = "/health"
    interval            = 30
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
    matcher             = "200"
  }
}
