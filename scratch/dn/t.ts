import postgres from "postgres"; import {z} from "zod"; console.log(typeof postgres, typeof z.object)
